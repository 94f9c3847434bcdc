namespace Mrq.Jobs;

/// <summary>MRQ's eleven job statuses. The stored spelling is <see cref="JobStatusNames.ToMrqName"/>.</summary>
public enum JobStatus
{
    /// <summary>Waiting to be claimed by a worker.</summary>
    Queued,

    /// <summary>Claimed by a worker and running.</summary>
    Started,

    /// <summary>Ran to completion; <c>result</c> holds its return value.</summary>
    Success,

    /// <summary>The task threw; <c>exceptiontype</c> and <c>traceback</c> say what.</summary>
    Failed,

    /// <summary>Cancelled before it ran (cancelling a running job does not stop it).</summary>
    Cancel,

    /// <summary>The task called AbortCurrentJob.</summary>
    Abort,

    /// <summary>The worker was stopped hard (SIGTERM or a second SIGINT) while the job ran.</summary>
    Interrupt,

    /// <summary>The job ran past its timeout.</summary>
    Timeout,

    /// <summary>The task asked to be retried later (<c>dateretry</c>).</summary>
    Retry,

    /// <summary>The task asked for a retry but had used all of its retries.</summary>
    MaxRetries,

    /// <summary>The task's max_concurrency lock was held by another running job.</summary>
    MaxConcurrency,
}
