namespace Mrq.Context;

/// <summary>The current job of the executing async flow (an AsyncLocal, so it flows into sub-tasks and sub-pools).</summary>
internal static class JobContextAccessor
{
    private static readonly AsyncLocal<JobContext?> s_current = new();

    static JobContextAccessor()
    {
        // Records, per job, the last exception its code threw (JobContext.LastThrown): what a retry or abort called
        // from a catch block was handling. Exceptions of other flows (no current job) are not looked at.
        AppDomain.CurrentDomain.FirstChanceException += static (_, e) =>
        {
            if (s_current.Value is { } context && e.Exception is not (RetryInterrupt or AbortInterrupt or OperationCanceledException))
            {
                context.LastThrown = e.Exception;
            }
        };
    }

    public static JobContext? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }
}
