namespace Mrq.Scheduling;

/// <summary>What a cron entry does with the runs it missed while no scheduler ran (or between two ticks).</summary>
public enum CronCatchup
{
    /// <summary>Missed runs are dropped: a job is queued only for a run due within the last tick.</summary>
    None,

    /// <summary>One job is queued for any number of missed runs (the default).</summary>
    Once,

    /// <summary>One job per missed run, at most <see cref="ScheduledTask.MaxCatchupRuns"/> per tick (the latest ones).</summary>
    All,
}
