namespace Mrq.Storage;

/// <summary>
/// The scheduler's state: MRQ's <c>mrq_scheduled_jobs</c> documents, one per scheduled task, keyed by MRQ's
/// <c>hash</c> string. Every call is one atomic step of its storage.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Every state document, in no particular order (also those written by other schedulers).</summary>
    ValueTask<IReadOnlyList<ScheduledJobState>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Inserts each state whose hash is not stored yet; a stored one is left as it is. Atomic per document.</summary>
    /// <returns>How many were inserted.</returns>
    ValueTask<int> InsertMissingAsync(IReadOnlyList<ScheduledJobState> states, CancellationToken cancellationToken);

    /// <summary>Deletes the documents with these hashes.</summary>
    /// <returns>How many were deleted.</returns>
    ValueTask<int> DeleteAsync(IReadOnlyCollection<string> hashes, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <c>datelastqueued</c> to <paramref name="queuedAt"/> only if it is still <paramref name="expected"/>
    /// (compared at millisecond precision): the compare-and-set that lets exactly one of several racing schedulers
    /// queue a due task. Atomic.
    /// </summary>
    /// <returns>True when this call changed it; false when another scheduler did first or the document is gone.</returns>
    ValueTask<bool> TryMarkQueuedAsync(string hash, DateTime expected, DateTime queuedAt, CancellationToken cancellationToken);
}
