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

    /// <summary>
    /// A <c>started</c> job whose worker is lost (gone, or the job ran far past its timeout): <c>lost_count</c> + 1,
    /// then <c>queued</c> keeping <c>retry_count</c>, or <c>failed</c> with exceptiontype <c>WorkerLost</c> once
    /// <c>lost_count</c> reaches <see cref="JobAction.LostLimit"/> (see <see cref="WorkerLost"/>).
    /// </summary>
    RequeueLost,
}
