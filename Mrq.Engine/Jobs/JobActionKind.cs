namespace Mrq.Jobs;

/// <summary>The actions MRQ's JobAction applies to jobs selected by a filter.</summary>
public enum JobActionKind
{
    /// <summary>Set <c>cancel</c> (a running job keeps running; its result save then loses the compare-and-set).</summary>
    Cancel,

    /// <summary>Set <c>queued</c> with a new <c>datequeued</c> and <c>retry_count</c> reset to 0.</summary>
    Requeue,

    /// <summary>Set <c>queued</c> keeping <c>retry_count</c> (used by maintenance for retry and interrupted jobs).</summary>
    RequeueRetry,
}
