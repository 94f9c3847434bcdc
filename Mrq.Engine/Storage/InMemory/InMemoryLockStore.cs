namespace Mrq.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="ILockStore"/>: Redis <c>SET NX PX</c> + compare-and-delete semantics, with expiry read
/// from a <see cref="TimeProvider"/> (so tests can move time). An expired lock counts as free and cannot be released.
/// </summary>
internal sealed class InMemoryLockStore : ILockStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Holder> _locks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    /// <param name="time">The clock lock expiry is measured with.</param>
    public InMemoryLockStore(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAcquireAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (Refused(key, token, ttl, cancellationToken) is { } refused)
        {
            return new ValueTask<bool>(refused);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_locks.TryGetValue(key, out var holder) && holder.ExpiresAt > now)
            {
                return new(false);
            }

            _locks[key] = new Holder(token, now + ttl);
            return new(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(string key, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_locks.TryGetValue(key, out var holder))
            {
                return new(false);
            }

            if (holder.ExpiresAt <= now)
            {
                // Redis would have dropped the key already: nothing to release, whoever asks.
                _locks.Remove(key);
                return new(false);
            }

            if (!string.Equals(holder.Token, token, StringComparison.Ordinal))
            {
                return new(false);
            }

            _locks.Remove(key);
            return new(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ExtendAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (Refused(key, token, ttl, cancellationToken) is { } refused)
        {
            return new ValueTask<bool>(refused);
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_locks.TryGetValue(key, out var holder) || holder.ExpiresAt <= now || !string.Equals(holder.Token, token, StringComparison.Ordinal))
            {
                return new(false);
            }

            _locks[key] = holder with { ExpiresAt = now + ttl };
            return new(true);
        }
    }

    /// <summary>The answer to a call that must not run (bad arguments, cancelled), else null.</summary>
    private static Task<bool>? Refused(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        return ttl <= TimeSpan.Zero
            ? Task.FromException<bool>(new ArgumentOutOfRangeException(nameof(ttl), ttl, "A lock's time to live must be positive."))
            : null;
    }

    private readonly record struct Holder(string Token, DateTimeOffset ExpiresAt);
}
