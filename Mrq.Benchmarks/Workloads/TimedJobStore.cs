using System.Diagnostics;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// Wraps a job store and times the hot calls (insert, claim, complete) into a <see cref="JobStoreTimer"/>, so a
/// <c>--profile</c> run says how much of the wall time the storage takes and how much is left to the engine.
/// Concurrent calls overlap, so shares can add up to more than 100 %.
/// </summary>
internal sealed class TimedJobStore(IJobStore inner, JobStoreTimer timer) : IJobStore
{
    public async ValueTask InsertAsync(IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.InsertAsync(jobs, cancellationToken).ConfigureAwait(false);
        timer.Add("jobs.insert", jobs.Count, start);
    }

    public async ValueTask<IReadOnlyList<JobRecord>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var claimed = await inner.ClaimAsync(request, cancellationToken).ConfigureAwait(false);
        timer.Add("jobs.claim", claimed.Count, start);
        return claimed;
    }

    public async ValueTask<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobOutcome> outcomes, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var applied = await inner.CompleteAsync(outcomes, cancellationToken).ConfigureAwait(false);
        timer.Add("jobs.complete", outcomes.Count, start);
        return applied;
    }

    public ValueTask SaveProgressAsync(IReadOnlyList<JobProgress> progress, CancellationToken cancellationToken) =>
        inner.SaveProgressAsync(progress, cancellationToken);

    public ValueTask<IReadOnlyList<JobRecord>> GetAsync(IReadOnlyList<JobId> ids, CancellationToken cancellationToken) =>
        inner.GetAsync(ids, cancellationToken);

    public ValueTask<long> ApplyActionAsync(JobAction action, CancellationToken cancellationToken) =>
        inner.ApplyActionAsync(action, cancellationToken);

    public ValueTask<IReadOnlyList<JobRecord>> QueryAsync(JobFilter filter, int skip, int limit, CancellationToken cancellationToken) =>
        inner.QueryAsync(filter, skip, limit, cancellationToken);

    public ValueTask<long> CountAsync(JobFilter filter, CancellationToken cancellationToken) =>
        inner.CountAsync(filter, cancellationToken);

    public ValueTask<IReadOnlyList<QueueStatusCount>> CountByQueueAndStatusAsync(CancellationToken cancellationToken) =>
        inner.CountByQueueAndStatusAsync(cancellationToken);

    public ValueTask<IReadOnlyList<string>> DistinctQueuesAsync(string prefix, CancellationToken cancellationToken) =>
        inner.DistinctQueuesAsync(prefix, cancellationToken);

    public ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken) =>
        inner.DeleteExpiredAsync(now, cancellationToken);

    public ValueTask<long> DeleteJobsAsync(IReadOnlyCollection<JobId> ids, CancellationToken cancellationToken) =>
        inner.DeleteJobsAsync(ids, cancellationToken);

    public ValueTask<JobId> InsertUniqueAsync(JobRecord job, CancellationToken cancellationToken) =>
        inner.InsertUniqueAsync(job, cancellationToken);

    public ValueTask<DateTime?> NextRetryDateAsync(CancellationToken cancellationToken) =>
        inner.NextRetryDateAsync(cancellationToken);
}
