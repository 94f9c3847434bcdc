namespace Mrq.Scheduling;

/// <summary>What one tick does with one entry: move its <c>datelastqueued</c> to now, and queue this many jobs (0 drops missed cron runs).</summary>
/// <param name="Advance">Whether the entry's <c>datelastqueued</c> moves to now.</param>
/// <param name="Jobs">How many jobs to queue when it does.</param>
internal readonly record struct ScheduleDecision(bool Advance, int Jobs)
{
    /// <summary>Nothing to do.</summary>
    public static ScheduleDecision Wait { get; } = new(false, 0);
}
