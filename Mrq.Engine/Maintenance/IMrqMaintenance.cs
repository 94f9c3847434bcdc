namespace Mrq.Maintenance;

/// <summary>
/// MRQ's maintenance tasks, callable directly (workers also run them every maintenance_interval when the
/// <c>maintenance</c> option is on). Each is a job action by filter: safe to run from several processes at once.
/// </summary>
public interface IMrqMaintenance
{
    /// <summary>All of them, once, under a storage lock (skipped when another process holds it).</summary>
    Task<MaintenanceResult> RunAllAsync(CancellationToken cancellationToken = default);

    /// <summary>MRQ's <c>RequeueRetryJobs</c>: <c>retry</c> jobs whose dateretry has passed go back to <c>queued</c> (retry_count kept).</summary>
    Task<long> RequeueRetryJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>MRQ's <c>RequeueInterruptedJobs</c>: <c>interrupt</c> jobs go back to <c>queued</c>.</summary>
    Task<long> RequeueInterruptedJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// MRQ's <c>RequeueStartedJobs</c>: <c>started</c> jobs whose worker is dead (its report gone, stopped, or silent
    /// for <c>worker_lease</c> on the storage's clock), or that started more than their task's timeout +
    /// <paramref name="grace"/> ago (only for task paths this process knows), go back to <c>queued</c> keeping
    /// retry_count and counting a lost run in <c>lost_count</c>; a job lost <c>max_lost</c> times ends <c>failed</c>
    /// (WorkerLost) instead.
    /// </summary>
    Task<StartedJobsResult> RequeueStartedJobsAsync(TimeSpan grace, CancellationToken cancellationToken = default);

    /// <summary>Deletes jobs past their dateexpires and worker reports older than an hour.</summary>
    Task<long> DeleteExpiredAsync(CancellationToken cancellationToken = default);
}

/// <summary>What a maintenance pass did.</summary>
/// <param name="RetryRequeued">Retry jobs requeued.</param>
/// <param name="InterruptedRequeued">Interrupted jobs requeued.</param>
/// <param name="StartedRequeued">Stale started jobs requeued, or failed as lost (WorkerLost).</param>
/// <param name="ExpiredDeleted">Expired jobs deleted.</param>
public sealed record MaintenanceResult(long RetryRequeued, long InterruptedRequeued, long StartedRequeued, long ExpiredDeleted)
{
    /// <summary>Everything done.</summary>
    public long Total => RetryRequeued + InterruptedRequeued + StartedRequeued + ExpiredDeleted;
}

/// <summary>MRQ's RequeueStartedJobs result: <c>{requeued, started}</c>.</summary>
/// <param name="Requeued">Jobs requeued, or failed as lost (WorkerLost).</param>
/// <param name="Started">Started jobs seen before requeueing.</param>
public sealed record StartedJobsResult(long Requeued, long Started);
