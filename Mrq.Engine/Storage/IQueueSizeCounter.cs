namespace Mrq.Storage;

/// <summary>
/// MRQ's <c>queuesize:&lt;queue&gt;</c> counters (queued + started per regular queue), kept by backends whose job
/// store cannot count cheaply. Backends that can count jobs directly leave this out and sizes are derived.
/// </summary>
public interface IQueueSizeCounter
{
    /// <summary>Adds each delta to its queue's counter atomically.</summary>
    ValueTask AdjustAsync(IReadOnlyDictionary<string, long> deltas, CancellationToken cancellationToken);

    /// <summary>The counter of a queue (0 when absent).</summary>
    ValueTask<long> GetAsync(string queue, CancellationToken cancellationToken);
}
