namespace Mrq.Storage.InMemory;

/// <summary>The in-memory <see cref="IScheduleStore"/>: the state documents by hash, behind one lock (so every call is atomic).</summary>
internal sealed class InMemoryScheduleStore : IScheduleStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScheduledJobState> _states = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ScheduledJobState>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new([.. _states.Values.Select(Copy)]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> InsertMissingAsync(IReadOnlyList<ScheduledJobState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var inserted = 0;
            foreach (var state in states)
            {
                if (_states.TryAdd(state.Hash, Copy(state) with { DateLastQueued = ToMilliseconds(state.DateLastQueued) }))
                {
                    inserted++;
                }
            }

            return new(inserted);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> DeleteAsync(IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(hashes.Count(_states.Remove));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryMarkQueuedAsync(string hash, DateTime expected, DateTime queuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_states.TryGetValue(hash, out var state) || state.DateLastQueued != ToMilliseconds(expected))
            {
                return new(false);
            }

            _states[hash] = state with { DateLastQueued = ToMilliseconds(queuedAt) };
            return new(true);
        }
    }

    /// <summary>UTC at millisecond precision, as a database round trip gives.</summary>
    private static DateTime ToMilliseconds(DateTime value)
    {
        var utc = UtcDates.Utc(value);
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    /// <summary>A copy whose params the caller cannot change under the store.</summary>
    private static ScheduledJobState Copy(ScheduledJobState state) => state with { Params = state.Params?.DeepClone().AsObject() };
}
