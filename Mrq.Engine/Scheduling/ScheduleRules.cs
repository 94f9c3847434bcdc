using Mrq.Storage;

namespace Mrq.Scheduling;

/// <summary>
/// When an entry is due. MRQ's rules (mrq/scheduler.py <c>check</c>), on UTC times: nothing when
/// <c>datelastqueued &gt;= now</c>; a <c>monthday</c> or <c>weekday</c> (Monday = 0) must be today's; a <c>dailytime</c>
/// entry runs once a day, the first tick at or after its time; an entry with only an <c>interval</c> runs when
/// <c>now - datelastqueued &gt;= interval</c>. Cron entries run for their occurrences in (<c>datelastqueued</c>, now],
/// as their <c>catchup</c> says.
/// </summary>
internal static class ScheduleRules
{
    /// <summary>What to do with <paramref name="state"/> at <paramref name="now"/>.</summary>
    /// <param name="state">The stored entry.</param>
    /// <param name="now">The tick's time, UTC.</param>
    /// <param name="onTime">How old a cron run may be and still count as on time for <see cref="CronCatchup.None"/> (one tick and some).</param>
    /// <param name="cron">The entry's parsed cron schedule, when it is a cron entry.</param>
    public static ScheduleDecision Decide(ScheduledJobState state, DateTime now, TimeSpan onTime, CronSchedule? cron)
    {
        if (state.DateLastQueued >= now)
        {
            return ScheduleDecision.Wait;
        }

        return cron is not null ? DecideCron(state, now, onTime, cron) : DecideMrq(state, now);
    }

    /// <summary>Python's <c>datetime.weekday()</c>: Monday = 0 … Sunday = 6.</summary>
    public static int PythonWeekday(DateTime date) => ((int)date.DayOfWeek + 6) % 7;

    /// <summary>The catch-up mode stored on a cron entry (<c>once</c> when absent or unknown).</summary>
    public static CronCatchup CatchupOf(ScheduledJobState state) =>
        Enum.TryParse<CronCatchup>(state.Catchup, ignoreCase: true, out var mode) ? mode : CronCatchup.Once;

    private static ScheduleDecision DecideMrq(ScheduledJobState state, DateTime now)
    {
        if (state.Monthday is { } monthday && monthday != now.Day)
        {
            return ScheduleDecision.Wait;
        }

        if (state.Weekday is { } weekday && weekday != PythonWeekday(now))
        {
            return ScheduleDecision.Wait;
        }

        if (state.DailyTime is { } dailyTime && (state.DateLastQueued.Date == now.Date || now.TimeOfDay < dailyTime.TimeOfDay))
        {
            return ScheduleDecision.Wait;
        }

        if (state.Monthday is null && state.Weekday is null && state.DailyTime is null)
        {
            // An entry with no timing at all is not MRQ's (its scheduler would fail on it): never queued.
            if (state.Interval is not { } interval || now - state.DateLastQueued < TimeSpan.FromSeconds(interval))
            {
                return ScheduleDecision.Wait;
            }
        }

        return new ScheduleDecision(true, 1);
    }

    private static ScheduleDecision DecideCron(ScheduledJobState state, DateTime now, TimeSpan onTime, CronSchedule cron)
    {
        var count = 0;
        var latest = DateTime.MinValue;
        foreach (var run in cron.Occurrences(state.DateLastQueued, now))
        {
            count++;
            latest = run;
        }

        if (count == 0)
        {
            return ScheduleDecision.Wait;
        }

        return CatchupOf(state) switch
        {
            CronCatchup.None => new ScheduleDecision(true, latest >= now - onTime ? 1 : 0),
            CronCatchup.All => new ScheduleDecision(true, Math.Min(count, ScheduledTask.MaxCatchupRuns)),
            _ => new ScheduleDecision(true, 1),
        };
    }
}
