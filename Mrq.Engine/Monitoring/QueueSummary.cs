using Mrq.Jobs;

namespace Mrq.Monitoring;

/// <summary>A queue as monitoring shows it.</summary>
/// <param name="Name">The queue name.</param>
/// <param name="IsRaw">True for a raw queue (<c>_raw</c>, <c>_set</c>, <c>_sorted_set</c>, <c>_timed_set</c>).</param>
/// <param name="Counts">Jobs per status (regular queues).</param>
/// <param name="RawSize">Members waiting (raw queues), else null.</param>
/// <param name="Paused">True when the queue or a parent is paused.</param>
/// <param name="OldestQueuedAge">How long the oldest queued job (lowest <c>_id</c>) has waited, when any is queued.</param>
public sealed record QueueSummary(
    string Name, bool IsRaw, IReadOnlyDictionary<JobStatus, long> Counts, long? RawSize, bool Paused, TimeSpan? OldestQueuedAge)
{
    /// <summary>Jobs of every status (or raw members).</summary>
    public long Total => RawSize ?? Counts.Values.Sum();
}

/// <summary>The overview: every queue, job totals per status and the workers.</summary>
/// <param name="Queues">Queues, by name.</param>
/// <param name="StatusTotals">Jobs per status over every queue.</param>
/// <param name="WorkersAlive">Workers whose last report is recent.</param>
/// <param name="WorkersStale">Workers whose last report is too old.</param>
/// <param name="At">When the figures were read (UTC).</param>
public sealed record MonitorOverview(
    IReadOnlyList<QueueSummary> Queues, IReadOnlyDictionary<JobStatus, long> StatusTotals, int WorkersAlive, int WorkersStale, DateTime At);
