namespace Mrq.Jobs;

/// <summary>
/// The poison-job rule: a job whose worker died while running it is requeued, each time counting one more in
/// <c>lost_count</c>; when the count reaches the limit (<c>max_lost</c>, default <see cref="DefaultLimit"/>) the job
/// ends <c>failed</c> with exceptiontype <see cref="ExceptionType"/> instead, so a job that kills its worker (out
/// of memory, a native crash) does not take down worker after worker for ever.
/// </summary>
public static class WorkerLost
{
    /// <summary>The default number of lost runs after which a job fails.</summary>
    public const int DefaultLimit = 3;

    /// <summary>The exceptiontype of a job failed by the rule.</summary>
    public const string ExceptionType = "WorkerLost";

    /// <summary>True when a job lost for the <paramref name="lostCount"/>-th time fails instead of being requeued.</summary>
    public static bool Fails(int lostCount, int limit) => lostCount >= limit;

    /// <summary>The traceback of a job failed by the rule.</summary>
    public static string Traceback(int lostCount) =>
        $"WorkerLost: the worker running this job was lost {lostCount} times (its process died or stopped reporting, or the job ran far past its timeout); "
        + "the job is not requeued again (max_lost). Requeue it by hand once the cause is fixed.";
}
