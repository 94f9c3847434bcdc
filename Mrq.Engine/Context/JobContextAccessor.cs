namespace Mrq.Context;

/// <summary>The current job of the executing async flow (an AsyncLocal, so it flows into sub-tasks and sub-pools).</summary>
internal static class JobContextAccessor
{
    private static readonly AsyncLocal<JobContext?> s_current = new();

    public static JobContext? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }
}
