namespace Mrq.Jobs;

/// <summary>A job action by filter (MRQ's <c>JobAction</c>): applied job by job, each a compare-and-set on the status it read.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Filter">Which jobs. For requeue actions with no status filter, every status but <c>queued</c>.</param>
/// <param name="Now">The time written to <c>dateupdated</c> (and <c>datequeued</c> on requeue).</param>
/// <param name="DestinationQueue">Requeue only: move the jobs to this queue.</param>
/// <param name="ExpiresAt">The <c>dateexpires</c> to write (cancel: now + result_ttl; requeue: datequeued + default_ttl); null unsets it.</param>
public sealed record JobAction(JobActionKind Kind, JobFilter Filter, DateTime Now, string? DestinationQueue = null, DateTime? ExpiresAt = null)
{
    /// <summary>The filter with MRQ's defaults applied (requeue skips jobs already queued) and the transition table enforced.</summary>
    public JobFilter EffectiveFilter()
    {
        if (Kind == JobActionKind.RequeueLost)
        {
            // Only a running job can lose its worker.
            return Filter with { Statuses = Filter.Statuses is { } only && !only.Contains(JobStatus.Started) ? [] : [JobStatus.Started] };
        }

        var target = Kind == JobActionKind.Cancel ? JobStatus.Cancel : JobStatus.Queued;
        var allowed = JobStateMachine.SourcesOf(target);
        IEnumerable<JobStatus> statuses = Filter.Statuses ?? (Kind == JobActionKind.Cancel
            ? allowed
            : allowed.Where(s => s != JobStatus.Queued));
        return Filter with { Statuses = statuses.Where(allowed.Contains).ToArray() };
    }

    /// <summary><see cref="JobActionKind.RequeueLost"/> only: the <c>lost_count</c> at which the job fails instead of being requeued.</summary>
    public int LostLimit { get; init; } = WorkerLost.DefaultLimit;

    /// <summary>The status the action writes (<see cref="JobActionKind.RequeueLost"/> also fails poison jobs).</summary>
    public JobStatus TargetStatus => Kind == JobActionKind.Cancel ? JobStatus.Cancel : JobStatus.Queued;
}
