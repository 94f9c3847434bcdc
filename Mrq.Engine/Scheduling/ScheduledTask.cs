using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Mrq.Scheduling;

/// <summary>
/// One entry of MRQ's <c>SCHEDULER_TASKS</c> (<c>scheduler_tasks</c> in <c>mrq.json</c>, <c>Mrq:SchedulerTasks</c> in
/// appsettings, or <c>AddScheduler(s =&gt; s.Add(...))</c>): queue <see cref="Path"/> with <see cref="Params"/> on
/// <see cref="Queue"/> every <see cref="Interval"/> seconds, or each day at <see cref="DailyTime"/> (UTC, optionally only
/// on a <see cref="Weekday"/> or <see cref="Monthday"/>), or on a <see cref="Cron"/> schedule.
/// </summary>
public sealed class ScheduledTask
{
    /// <summary>The most jobs one tick queues for one entry with <see cref="CronCatchup.All"/>.</summary>
    public const int MaxCatchupRuns = 100;

    /// <summary>The task path to queue (<c>path</c>).</summary>
    [ConfigurationKeyName("path")]
    public string Path { get; set; } = string.Empty;

    /// <summary>The job's params (<c>params</c>); null or empty for none.</summary>
    [ConfigurationKeyName("params")]
    public JsonObject? Params { get; set; }

    /// <summary>The queue (<c>queue</c>); null for the task's default queue.</summary>
    [ConfigurationKeyName("queue")]
    public string? Queue { get; set; }

    /// <summary>Seconds between two runs (<c>interval</c>), when the entry has no <see cref="DailyTime"/>.</summary>
    [ConfigurationKeyName("interval")]
    public double? Interval { get; set; }

    /// <summary>Time of day, UTC, of a daily run (<c>dailytime</c>, <c>"HH:MM"</c> or <c>"HH:MM:SS"</c> in configuration).</summary>
    [ConfigurationKeyName("dailytime")]
    public TimeOnly? DailyTime { get; set; }

    /// <summary>Only on this day of the week, Monday = 0 … Sunday = 6 as in Python (<c>weekday</c>); needs <see cref="DailyTime"/>.</summary>
    [ConfigurationKeyName("weekday")]
    public int? Weekday { get; set; }

    /// <summary>Only on this day of the month, 1–31 (<c>monthday</c>); needs <see cref="DailyTime"/>.</summary>
    [ConfigurationKeyName("monthday")]
    public int? Monthday { get; set; }

    /// <summary>
    /// A cron expression (<c>cron</c>): 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first,
    /// parsed by Cronos. Not combined with MRQ's timing keys.
    /// </summary>
    [ConfigurationKeyName("cron")]
    public string? Cron { get; set; }

    /// <summary>The IANA time zone <see cref="Cron"/> is read in (<c>timezone</c>, e.g. <c>Europe/Paris</c>); null for UTC.</summary>
    [ConfigurationKeyName("timezone")]
    public string? TimeZone { get; set; }

    /// <summary>What a cron entry does with missed runs (<c>catchup</c>: <c>none</c>, <c>once</c> or <c>all</c>); null for <c>once</c>.</summary>
    [ConfigurationKeyName("catchup")]
    public CronCatchup? Catchup { get; set; }

    /// <summary>A readable name of the entry for errors and logs: its path and timing.</summary>
    public override string ToString()
    {
        var timing = Cron is not null ? $"cron '{Cron}'"
            : DailyTime is { } time ? $"dailytime {time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}{(Weekday is { } w ? $", weekday {w}" : string.Empty)}{(Monthday is { } m ? $", monthday {m}" : string.Empty)}"
            : Interval is { } interval ? $"interval {interval.ToString(CultureInfo.InvariantCulture)}"
            : "no timing";
        return $"{Path} ({timing})";
    }
}
