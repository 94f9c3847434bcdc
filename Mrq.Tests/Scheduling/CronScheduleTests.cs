using Mrq.Scheduling;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

/// <summary>Daylight-saving transitions follow Cronos' documented rules (America/New_York, 2026: 8 March and 1 November).</summary>
[TestFixture]
[Category("engine")]
public sealed class CronScheduleTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(70);

    [Test]
    public void SpringForward_SkippedTime_RunsOnceAtTheNextValidTime()
    {
        var cron = CronSchedule.Parse("30 2 * * *", "America/New_York");

        // 02:30 does not exist on 8 March: Cronos runs it at 03:00 EDT = 07:00 UTC.
        var runs = cron.Occurrences(Utc(2026, 3, 8, 0, 0), Utc(2026, 3, 9, 0, 0)).ToList();

        Assert.That(runs, Is.EqualTo(new[] { Utc(2026, 3, 8, 7, 0) }));
    }

    [Test]
    public void FallBack_FixedTime_RunsOnce()
    {
        var cron = CronSchedule.Parse("30 1 * * *", "America/New_York");

        // 01:30 happens twice on 1 November (EDT then EST): a fixed-time expression runs at the first only.
        var runs = cron.Occurrences(Utc(2026, 11, 1, 0, 0), Utc(2026, 11, 2, 0, 0)).ToList();

        Assert.That(runs, Is.EqualTo(new[] { Utc(2026, 11, 1, 5, 30) }));
    }

    [Test]
    public void FallBack_IntervalExpression_RunsInBothRepeatedHours()
    {
        var cron = CronSchedule.Parse("0,30 * * * *", "America/New_York");

        var runs = cron.Occurrences(Utc(2026, 11, 1, 4, 59), Utc(2026, 11, 1, 7, 1)).ToList();

        // 01:00 EDT, 01:30 EDT, 01:00 EST, 01:30 EST, 02:00 EST.
        Assert.That(runs, Is.EqualTo(new[] { Utc(2026, 11, 1, 5, 0), Utc(2026, 11, 1, 5, 30), Utc(2026, 11, 1, 6, 0), Utc(2026, 11, 1, 6, 30), Utc(2026, 11, 1, 7, 0) }));
    }

    [Test]
    public void SchedulerOverFallBack_DailyEntryQueuedOnce()
    {
        var cron = CronSchedule.Parse("30 1 * * *", "America/New_York");
        var state = new ScheduledJobState { Hash = "h", Path = "p", Cron = "30 1 * * *", DateLastQueued = Utc(2026, 11, 1, 5, 0) };
        var queued = 0;

        // Ticks every minute through both 01:30s.
        for (var now = Utc(2026, 11, 1, 5, 1); now <= Utc(2026, 11, 1, 7, 0); now = now.AddMinutes(1))
        {
            var decision = ScheduleRules.Decide(state, now, s_tick, cron);
            if (decision.Advance)
            {
                queued += decision.Jobs;
                state = state with { DateLastQueued = now };
            }
        }

        Assert.That(queued, Is.EqualTo(1));
    }

    private static DateTime Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);
}
