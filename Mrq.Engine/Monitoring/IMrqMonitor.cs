using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Monitoring;

/// <summary>
/// The read model of a Mrq storage for operators (the dashboard and the CLI): queues, jobs, workers and tasks,
/// read through the storage SPI. It never changes anything; actions go through <c>IJobClient</c>.
/// </summary>
public interface IMrqMonitor
{
    /// <summary>The most jobs a search or statistic reads when it must scan (criteria the storage cannot evaluate).</summary>
    int ScanLimit { get; }

    /// <summary>A worker whose last report is older than this is flagged stale.</summary>
    TimeSpan StaleAfter { get; }

    /// <summary>Queues with counts, raw sizes, paused state and oldest queued age; totals; workers alive.</summary>
    Task<MonitorOverview> GetOverviewAsync(CancellationToken cancellationToken = default);

    /// <summary>One page of jobs matching a search.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative skip or a limit outside 1..1000.</exception>
    Task<JobPage> SearchJobsAsync(JobSearch search, int skip, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ids of every job matching a search (for acting on all of them through <c>IJobClient</c> by id), and whether
    /// the scan stopped at <see cref="ScanLimit"/> so some matches are missing.
    /// </summary>
    Task<(IReadOnlyList<JobId> Ids, bool Truncated)> FindJobIdsAsync(JobSearch search, CancellationToken cancellationToken = default);

    /// <summary>A job and its logs, or null when no such job exists.</summary>
    Task<JobDetails?> GetJobAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>Every worker report, newest report first, stale ones flagged.</summary>
    Task<IReadOnlyList<WorkerStatus>> GetWorkersAsync(CancellationToken cancellationToken = default);

    /// <summary>The next members of a raw queue, in pop order.</summary>
    /// <exception cref="ArgumentException">The queue is not a raw queue.</exception>
    Task<IReadOnlyList<RawQueueItem>> PeekRawQueueAsync(string queue, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts and run times per task path and status.</summary>
    Task<TaskStatsReport> GetTaskStatsAsync(CancellationToken cancellationToken = default);
}
