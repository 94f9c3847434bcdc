namespace Mrq.Jobs;

/// <summary>
/// The one table of allowed status transitions, MRQ's rule (reference §1.2): from a final status a job may only go
/// to a transient status (queued, started, cancel); from a transient status it may go anywhere else. Storage
/// backends apply every move as a compare-and-set on the expected current status, so a move this table allows can
/// still lose to a concurrent writer, but never overwrite it.
/// </summary>
public static class JobStateMachine
{
    /// <summary>Statuses a job rests in until something acts on it.</summary>
    public static IReadOnlySet<JobStatus> Transient { get; } = new HashSet<JobStatus> { JobStatus.Queued, JobStatus.Started, JobStatus.Cancel };

    /// <summary>Statuses written when an execution ends.</summary>
    public static IReadOnlySet<JobStatus> Final { get; } = new HashSet<JobStatus>
    {
        JobStatus.Success, JobStatus.Failed, JobStatus.Abort, JobStatus.Interrupt, JobStatus.Timeout,
        JobStatus.Retry, JobStatus.MaxRetries, JobStatus.MaxConcurrency,
    };

    /// <summary>Statuses a worker may not start a job from (MRQ's <c>fetch(start=True)</c> refusal).</summary>
    public static IReadOnlySet<JobStatus> NotStartable { get; } = new HashSet<JobStatus> { JobStatus.Cancel, JobStatus.Abort, JobStatus.MaxRetries };

    /// <summary>True when a job in <paramref name="from"/> may be moved to <paramref name="to"/>.</summary>
    public static bool CanTransition(JobStatus from, JobStatus to)
    {
        if (from == to && to != JobStatus.Queued)
        {
            return false;
        }

        if (to == JobStatus.Started)
        {
            return from == JobStatus.Queued;
        }

        if (Final.Contains(from))
        {
            return Transient.Contains(to);
        }

        // A final outcome is only ever written over a running job; queued jobs are cancelled, not failed.
        if (Final.Contains(to))
        {
            return from == JobStatus.Started;
        }

        return true;
    }

    /// <summary>The statuses from which a move to <paramref name="to"/> is allowed.</summary>
    public static IReadOnlyList<JobStatus> SourcesOf(JobStatus to) =>
        JobStatusNames.All.Where(from => CanTransition(from, to)).ToArray();
}
