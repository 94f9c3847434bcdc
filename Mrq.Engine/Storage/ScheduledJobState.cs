using System.Text.Json.Nodes;

namespace Mrq.Storage;

/// <summary>
/// One <c>mrq_scheduled_jobs</c> document, in MRQ's fields: <c>hash</c>, <c>path</c>, <c>params</c>, <c>queue</c>,
/// <c>interval</c>, <c>dailytime</c>, <c>weekday</c>, <c>monthday</c>, <c>datelastqueued</c>; cron entries add
/// <c>cron</c>, <c>timezone</c> and <c>catchup</c>, which Python MRQ ignores. Dates are UTC at millisecond precision.
/// </summary>
public sealed record ScheduledJobState
{
    /// <summary>MRQ's <c>hash</c>: the entry's identity (see the README's scheduler section).</summary>
    public required string Hash { get; init; }

    /// <summary>The task path to queue.</summary>
    public required string Path { get; init; }

    /// <summary>The job's params, or null for none.</summary>
    public JsonObject? Params { get; init; }

    /// <summary>The queue, or null for the task's default queue.</summary>
    public string? Queue { get; init; }

    /// <summary>Seconds between runs (MRQ stores 86400 for a <c>dailytime</c> entry), or null.</summary>
    public double? Interval { get; init; }

    /// <summary>MRQ's <c>dailytime</c>: the day the entry was stored plus the time of day (only the time counts), or null.</summary>
    public DateTime? DailyTime { get; init; }

    /// <summary>Day of the week, Monday = 0 … Sunday = 6 (Python's <c>weekday()</c>), or null.</summary>
    public int? Weekday { get; init; }

    /// <summary>Day of the month, 1–31, or null.</summary>
    public int? Monthday { get; init; }

    /// <summary>A cron expression (5 fields, or 6 with seconds first), or null for MRQ's own timing keys.</summary>
    public string? Cron { get; init; }

    /// <summary>The IANA time zone the cron expression is read in, or null for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>What a cron entry does with runs missed while no scheduler ran: <c>none</c>, <c>once</c> or <c>all</c>; null for <c>once</c>.</summary>
    public string? Catchup { get; init; }

    /// <summary>When the task was last queued (the Unix epoch for never), UTC.</summary>
    public required DateTime DateLastQueued { get; init; }
}
