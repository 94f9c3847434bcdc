namespace Mrq.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="IRateLimitStore"/>: MRQ's fixed windows (<c>ratelimit:&lt;key&gt;:&lt;int(now)//per&gt;</c>),
/// each counter kept until <c>per + 10</c> seconds after its last increment, as MRQ's EXPIRE does. Expired counters
/// are swept from time to time, measured on the callers' <c>now</c>.
/// </summary>
internal sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private const int SweepEvery = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Key, long Window), Counter> _counters = [];
    private int _sinceSweep;

    /// <inheritdoc/>
    public ValueTask<long> IncrementAsync(string key, int per, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        if (per <= 0)
        {
            return ValueTask.FromException<long>(new ArgumentOutOfRangeException(nameof(per), per, "A rate limit window is at least one second."));
        }

        var seconds = UtcDates.UnixSeconds(now);
        var window = (long)Math.Floor(seconds) / per;
        var expiresAt = seconds + per + 10;
        lock (_gate)
        {
            if (++_sinceSweep >= SweepEvery)
            {
                _sinceSweep = 0;
                Sweep(seconds);
            }

            var slot = (key, window);
            var count = _counters.TryGetValue(slot, out var counter) && counter.ExpiresAt > seconds ? counter.Count + 1 : 1;
            _counters[slot] = new Counter(count, expiresAt);
            return new(count);
        }
    }

    private void Sweep(double now)
    {
        foreach (var (slot, counter) in _counters)
        {
            if (counter.ExpiresAt <= now)
            {
                _counters.Remove(slot);
            }
        }
    }

    private readonly record struct Counter(long Count, double ExpiresAt);
}
