using System.Text.Json.Nodes;

namespace Mrq.Scheduling;

/// <summary>The scheduler's entries and interval, set in code by <c>AddScheduler(s =&gt; …)</c>.</summary>
public sealed class SchedulerBuilder
{
    private readonly List<ScheduledTask> _tasks = [];

    /// <summary>The entries added so far.</summary>
    public IReadOnlyList<ScheduledTask> Tasks => _tasks;

    /// <summary>Time between scheduler checks (MRQ's <c>scheduler_interval</c>); null keeps the configured one (default 60 s).</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>Adds an entry (see <see cref="ScheduledTask"/>); the entry is checked when the worker starts.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public SchedulerBuilder Add(ScheduledTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        _tasks.Add(task);
        return this;
    }

    /// <summary>Queues <paramref name="path"/> every <paramref name="interval"/> (MRQ's <c>interval</c>, whole seconds).</summary>
    public SchedulerBuilder Every(TimeSpan interval, string path, JsonObject? parameters = null, string? queue = null) =>
        Add(new ScheduledTask { Path = path, Params = parameters, Queue = queue, Interval = interval.TotalSeconds });

    /// <summary>Queues <paramref name="path"/> each day at <paramref name="time"/> UTC (MRQ's <c>dailytime</c>).</summary>
    public SchedulerBuilder Daily(TimeOnly time, string path, JsonObject? parameters = null, string? queue = null) =>
        Add(new ScheduledTask { Path = path, Params = parameters, Queue = queue, DailyTime = time });

    /// <summary>Queues <paramref name="path"/> on a cron schedule (5 fields, or 6 with seconds) read in <paramref name="timeZone"/> (IANA id; null for UTC).</summary>
    public SchedulerBuilder Cron(string cron, string path, JsonObject? parameters = null, string? queue = null, string? timeZone = null, CronCatchup? catchup = null) =>
        Add(new ScheduledTask { Path = path, Params = parameters, Queue = queue, Cron = cron, TimeZone = timeZone, Catchup = catchup });
}
