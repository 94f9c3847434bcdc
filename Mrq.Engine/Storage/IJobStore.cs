using Mrq.Jobs;

namespace Mrq.Storage;

/// <summary>
/// Regular-queue jobs (MRQ's <c>mrq_jobs</c>). Every call is one atomic step native to the storage (per job when
/// it touches several) and takes a list, because batching is where throughput comes from. Every status write is a
/// compare-and-set on the status the writer expects, so a late or duplicate writer loses instead of overwriting.
/// </summary>
public interface IJobStore
{
    /// <summary>Inserts new jobs. When the call returns, every job is durable to the storage's guarantee.</summary>
    ValueTask InsertAsync(IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts one job that has a <see cref="JobRecord.UniqueKey"/>, unless a job holding that key (in one of
    /// <see cref="UniqueJobs.HoldingStatuses"/>) exists: atomic, so of racing producers of one key exactly one inserts.
    /// </summary>
    /// <returns>The id of the job holding the key: <paramref name="job"/>'s own when it was inserted.</returns>
    ValueTask<JobId> InsertUniqueAsync(JobRecord job, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <see cref="ClaimRequest.MaxCount"/> queued jobs of one queue for a worker: each job moves
    /// <c>queued → started</c> atomically (set <c>datestarted</c>, <c>worker</c>; unset <c>dateexpires</c>), so two
    /// workers never claim the same job. Order is <c>(datequeued, _id)</c> ascending, descending when reversed.
    /// </summary>
    /// <returns>The claimed jobs, as stored after the claim, in claim order.</returns>
    ValueTask<IReadOnlyList<JobRecord>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the outcomes of executions. Each applies only while its job is <c>started</c> by the outcome's worker
    /// (compare-and-set); an outcome whose job moved meanwhile (cancelled, requeued) is skipped.
    /// </summary>
    /// <returns>For each outcome, in order, whether it was applied.</returns>
    ValueTask<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>Saves progress of running jobs (applied only while <c>started</c> by the given worker).</summary>
    ValueTask SaveProgressAsync(IReadOnlyList<JobProgress> progress, CancellationToken cancellationToken);

    /// <summary>Reads jobs by id; missing ids are left out.</summary>
    ValueTask<IReadOnlyList<JobRecord>> GetAsync(IReadOnlyList<JobId> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a job action to every job matching <see cref="JobAction.EffectiveFilter"/>, each job a
    /// compare-and-set on the status it was read with.
    /// </summary>
    /// <returns>The number of jobs changed.</returns>
    ValueTask<long> ApplyActionAsync(JobAction action, CancellationToken cancellationToken);

    /// <summary>Lists matching jobs, newest first (by <c>_id</c> descending).</summary>
    ValueTask<IReadOnlyList<JobRecord>> QueryAsync(JobFilter filter, int skip, int limit, CancellationToken cancellationToken);

    /// <summary>Counts matching jobs.</summary>
    ValueTask<long> CountAsync(JobFilter filter, CancellationToken cancellationToken);

    /// <summary>Counts jobs grouped by queue and status (for <c>mrq queues</c> and monitoring).</summary>
    ValueTask<IReadOnlyList<QueueStatusCount>> CountByQueueAndStatusAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The <c>datequeued</c> of the oldest job waiting in <paramref name="queue"/> (exact name), or null when none: the
    /// monitor's "oldest queued job" age. <paramref name="queuedCount"/> is the queue's queued count, just read. The
    /// default lists the queue's queued jobs newest first and takes the last (the lowest <c>_id</c>), which reads every
    /// one of them; a store with an index on (status, queue, datequeued) answers from its first key instead.
    /// </summary>
    async ValueTask<DateTime?> OldestQueuedDateAsync(string queue, long queuedCount, CancellationToken cancellationToken)
    {
        var filter = new JobFilter { Queue = queue, Statuses = [JobStatus.Queued] };
        var skip = (int)Math.Clamp(queuedCount - 1, 0, int.MaxValue);
        var last = await QueryAsync(filter, skip, 1, cancellationToken).ConfigureAwait(false);
        return last.Count == 0 ? null : last[0].DateQueued;
    }

    /// <summary>The distinct queue names of stored jobs that start with <paramref name="prefix"/> (subqueue discovery).</summary>
    ValueTask<IReadOnlyList<string>> DistinctQueuesAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// The earliest <c>dateretry</c> of the jobs in <c>retry</c> (retries and delayed jobs), or null when there are
    /// none: workers sleep until then (at most a second) and requeue the due ones, so a due job starts on time.
    /// </summary>
    ValueTask<DateTime?> NextRetryDateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes jobs whose <c>dateexpires</c> is at or before <paramref name="now"/>, whatever their status, as MRQ's
    /// TTL index does (a queued job has one after a requeue; a claim unsets it, so running jobs are never deleted).
    /// A backend without an index on <c>dateexpires</c> may spread its scan of queued jobs over several calls.
    /// </summary>
    /// <returns>The number deleted.</returns>
    ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes these jobs and nothing else, whatever their status except <c>started</c> (a job a worker may be running
    /// is kept). <c>mrq run</c> removes the job it ran on its private queue this way, since MRQ's <c>mrq-run</c> stores
    /// nothing. Unknown ids are ignored.
    /// </summary>
    /// <returns>The number deleted.</returns>
    ValueTask<long> DeleteJobsAsync(IReadOnlyCollection<JobId> ids, CancellationToken cancellationToken);
}
