using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Scheduling;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

/// <summary>
/// MRQ's scheduler rules (mrq/scheduler.py), cron and catch-up, and "many schedulers, one run", as named tests on a
/// fake clock, run on every backend by the sealed fixtures below. The clock starts on Monday 2026-03-02 10:00 UTC.
/// </summary>
public abstract class SchedulerContract
{
    private SchedulerBackend? _backend;

    protected FakeTimeProvider Time { get; private set; } = null!;

    protected RecordingJobClient Recorder { get; private set; } = null!;

    private IJobClient Client { get; set; } = null!;

    private SchedulerBackend Backend => _backend!;

    /// <summary>Creates the backend's stores on <paramref name="time"/>.</summary>
    protected abstract Task<SchedulerBackend> CreateAsync(FakeTimeProvider time);

    [SetUp]
    public async Task SetUpBackendAsync()
    {
        Time = SchedulerBackend.NewClock();
        (Client, Recorder) = RecordingJobClient.Create();
        _backend = await CreateAsync(Time);
    }

    [TearDown]
    public async Task TearDownBackendAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
            _backend = null;
        }
    }

    [Test]
    public async Task Interval_QueuedOnFirstTickThenEveryInterval()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Ping", Interval = 60, Params = new JsonObject { ["n"] = 1 }, Queue = "q1" });

        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "a new entry starts at the epoch: due at once");
        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "59 s < interval");
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "60 s = interval");

        Assert.That(Recorder.Queued.Select(q => (q.Path, q.Params!.ToJsonString(), q.Queue)), Is.EqualTo(new[]
        {
            ("tests.Ping", "{\"n\":1}", (string?)"q1"),
            ("tests.Ping", "{\"n\":1}", (string?)"q1"),
        }));
    }

    [Test]
    public async Task DailyTime_QueuedOnceADayAtOrAfterItsTime()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Daily", DailyTime = new TimeOnly(12, 0) });

        Assert.That(await scheduler.TickAsync(default), Is.Zero, "10:00 < 12:00");
        Time.Advance(TimeSpan.FromHours(2));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "12:00");
        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "already queued today");
        Time.Advance(TimeSpan.FromHours(23));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "next day 11:30");
        Time.Advance(TimeSpan.FromMinutes(31));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "next day 12:01");
    }

    [Test]
    public async Task DailyTime_AlreadyPassedWhenAdded_NotQueuedUntilTomorrow()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Daily", DailyTime = new TimeOnly(9, 0) });

        Assert.That(await scheduler.TickAsync(default), Is.Zero, "09:00 passed when the entry was added (MRQ sets datelastqueued = now)");
        Time.Advance(TimeSpan.FromHours(22));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "next day 08:00");
        Time.Advance(TimeSpan.FromHours(1));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "next day 09:00");
    }

    [Test]
    public async Task Weekday_QueuedOnlyOnThatDay()
    {
        // Wednesday = 2 in Python's weekday(); the clock starts on a Monday.
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Weekly", DailyTime = new TimeOnly(11, 0), Weekday = 2 });

        Time.Advance(TimeSpan.FromHours(1));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "Monday 11:00");
        Time.Advance(TimeSpan.FromDays(1));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "Tuesday 11:00");
        Time.Advance(TimeSpan.FromDays(1));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "Wednesday 11:00");
        Time.Advance(TimeSpan.FromDays(1));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "Thursday 11:00");
    }

    [Test]
    public async Task Monthday_QueuedOnlyOnThatDayOfTheMonth()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Monthly", DailyTime = new TimeOnly(11, 0), Monthday = 3 });

        Time.Advance(TimeSpan.FromHours(1));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "the 2nd");
        Time.Advance(TimeSpan.FromDays(1));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "the 3rd");
        Time.Advance(TimeSpan.FromDays(1));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "the 4th");
    }

    [Test]
    public async Task StateDocuments_KeyedByMrqHashWithMrqFields()
    {
        var scheduler = SchedulerOf([
            new ScheduledTask { Path = "tests.Ping", Interval = 60 },
            new ScheduledTask { Path = "tests.Daily", DailyTime = new TimeOnly(12, 30), Weekday = 0, Queue = "q" }]);

        await scheduler.TickAsync(default);

        var states = (await Backend.Store.ListAsync(default)).OrderBy(s => s.Path, StringComparer.Ordinal).ToList();
        Assert.That(states.Select(s => s.Hash), Is.EqualTo(new[] { "tests.Daily None 12:30:00 0 None q None", "tests.Ping 60 None None None None None" }));
        Assert.That(states[0].Interval, Is.EqualTo(86400), "dailytime implies interval = 86400, as MRQ stores it");
        Assert.That(states[0].DailyTime, Is.EqualTo(new DateTime(2026, 3, 2, 12, 30, 0, DateTimeKind.Utc)), "today's date + the time");
        Assert.That(states[1].DateLastQueued, Is.EqualTo(new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc)), "queued at this tick");
        Assert.That(states[0].DateLastQueued, Is.EqualTo(DateTime.UnixEpoch), "never queued: the epoch");
    }

    [Test]
    public async Task ParamsChanged_NewHash_OldStateDeleted()
    {
        await Scheduler(new ScheduledTask { Path = "tests.Ping", Interval = 3600, Params = new JsonObject { ["x"] = 1 } }).TickAsync(default);
        Time.Advance(TimeSpan.FromMinutes(1));

        // A restarted worker with other params: a new entry (due at once), the old one removed.
        var queued = await Scheduler(new ScheduledTask { Path = "tests.Ping", Interval = 3600, Params = new JsonObject { ["x"] = 2 } }).TickAsync(default);

        var states = await Backend.Store.ListAsync(default);
        Assert.That(states.Select(s => s.Hash), Is.EqualTo(new[] { "tests.Ping 3600 None None None None [[\"x\",2]]" }));
        Assert.That(queued, Is.EqualTo(1));
    }

    [Test]
    public async Task StaleEntry_RemovedOnFirstTick_KeptEntryKeepsItsState()
    {
        var kept = new ScheduledTask { Path = "tests.Kept", Interval = 3600 };
        await SchedulerOf([kept, new ScheduledTask { Path = "tests.Gone", Interval = 60 }]).TickAsync(default);
        Time.Advance(TimeSpan.FromMinutes(5));

        var queued = await Scheduler(new ScheduledTask { Path = "tests.Kept", Interval = 3600 }).TickAsync(default);

        var states = await Backend.Store.ListAsync(default);
        Assert.That(states.Select(s => s.Path), Is.EqualTo(new[] { "tests.Kept" }));
        Assert.That(queued, Is.Zero, "the kept entry was queued 5 minutes ago: its datelastqueued survived the restart");
    }

    [Test]
    public async Task EntryDeletedByAnotherScheduler_BackOnNextTick_WithoutARunForThePast()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Cron", Cron = "0 * * * *" });
        await scheduler.TickAsync(default);
        var hash = (await Backend.Store.ListAsync(default)).Single().Hash;

        // What a Python MRQ scheduler's first sync does to an entry missing from its own config.
        await Backend.Store.DeleteAsync([hash], default);
        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.That(await scheduler.TickAsync(default), Is.Zero);

        Assert.That((await Backend.Store.ListAsync(default)).Select(s => s.Hash), Is.EqualTo(new[] { hash }));
        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "11:00");
    }

    [Test]
    public async Task Cron_NewEntryStartsNow_ThenQueuedAtEachOccurrence()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Cron", Cron = "*/5 * * * *" });

        Assert.That(await scheduler.TickAsync(default), Is.Zero, "10:00 exactly: a new cron entry has no past");
        Time.Advance(TimeSpan.FromMinutes(4));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "10:04");
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "10:05");
        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "10:05:30");
    }

    [Test]
    public async Task Cron_SixFieldsWithSeconds()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Cron", Cron = "*/20 * * * * *" }, interval: 10);

        await scheduler.TickAsync(default);
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "10:00:10");
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "10:00:20");
    }

    [TestCase(CronCatchup.Once, 1)]
    [TestCase(CronCatchup.All, 12)]
    [TestCase(CronCatchup.None, 0)]
    public async Task Cron_RunsMissedWhileNoSchedulerRan_FollowCatchup(CronCatchup catchup, int expected)
    {
        var entry = new ScheduledTask { Path = "tests.Cron", Cron = "*/5 * * * *", Catchup = catchup };
        await Scheduler(entry).TickAsync(default);

        // No scheduler for an hour and two minutes: 12 runs missed (10:05 … 11:00), the last 2 minutes ago > one tick.
        Time.Advance(TimeSpan.FromMinutes(62));
        var queued = await Scheduler(entry, interval: 30).TickAsync(default);

        Assert.That(queued, Is.EqualTo(expected));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await Scheduler(entry, interval: 30).TickAsync(default), Is.Zero, "missed runs are consumed either way");
    }

    [Test]
    public async Task Cron_CatchupNone_RunDueWithinTheLastTick_Queued()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Cron", Cron = "*/5 * * * *", Catchup = CronCatchup.None });
        await scheduler.TickAsync(default);

        Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(40));

        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "the 10:05 run is 40 s old, within one tick (60 s + 10 s)");
    }

    [Test]
    public async Task Cron_CatchupAll_BoundedToMaxCatchupRuns()
    {
        var entry = new ScheduledTask { Path = "tests.Cron", Cron = "* * * * *", Catchup = CronCatchup.All };
        await Scheduler(entry).TickAsync(default);

        Time.Advance(TimeSpan.FromDays(1));

        Assert.That(await Scheduler(entry).TickAsync(default), Is.EqualTo(ScheduledTask.MaxCatchupRuns), "1440 missed runs");
    }

    [Test]
    public async Task Cron_TimeZone_ReadInThatZone()
    {
        // 11:30 in Paris is 10:30 UTC in March (UTC+1 until the 29th).
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.Cron", Cron = "30 11 * * *", TimeZone = "Europe/Paris" });
        await scheduler.TickAsync(default);

        Time.Advance(TimeSpan.FromMinutes(29));
        Assert.That(await scheduler.TickAsync(default), Is.Zero, "10:29 UTC");
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "10:30 UTC = 11:30 Paris");
    }

    [Test]
    public async Task ManySchedulers_RacingOnOneTick_QueueEachDueTaskOnce()
    {
        var entries = new[]
        {
            new ScheduledTask { Path = "tests.A", Interval = 60 },
            new ScheduledTask { Path = "tests.B", Interval = 120 },
            new ScheduledTask { Path = "tests.C", Cron = "* * * * *" },
        };
        var schedulers = Enumerable.Range(0, 4).Select(_ => SchedulerOf(entries)).ToList();

        for (var tick = 0; tick < 10; tick++)
        {
            await Task.WhenAll(schedulers.Select(s => Task.Run(() => s.TickAsync(default))));
            Time.Advance(TimeSpan.FromSeconds(60));
        }

        var byPath = Recorder.Queued.GroupBy(q => q.Path).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(byPath, Is.EquivalentTo(new Dictionary<string, int> { ["tests.A"] = 10, ["tests.B"] = 5, ["tests.C"] = 9 }));
    }

    [Test]
    public async Task ManySchedulers_LockLost_CompareAndSetStillQueuesOnce()
    {
        var entry = new ScheduledTask { Path = "tests.A", Interval = 60 };
        var schedulers = Enumerable.Range(0, 4).Select(_ => Scheduler(entry, locks: new NeverHeldLocks())).ToList();
        await schedulers[0].TickAsync(default);
        Time.Advance(TimeSpan.FromSeconds(60));

        // Every scheduler "holds" the lock (as after an expiry): only the compare-and-set decides.
        var queued = await Task.WhenAll(schedulers.Select(s => Task.Run(() => s.TickAsync(default))));

        Assert.That(queued.Sum(), Is.EqualTo(1));
        Assert.That(Recorder.Queued, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task QueueFails_TickGivenBack_QueuedOnNextTick()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.A", Interval = 3600 });
        Recorder.Failure = new InvalidOperationException("storage down");

        Assert.That(await scheduler.TickAsync(default), Is.Zero);
        Recorder.Failure = null;
        Time.Advance(TimeSpan.FromSeconds(60));

        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1), "datelastqueued was moved back, so the entry is still due");
    }

    [Test]
    public async Task StoredCronUnreadable_SkippedOthersStillQueued()
    {
        var scheduler = Scheduler(new ScheduledTask { Path = "tests.A", Interval = 60 });
        await scheduler.TickAsync(default);

        // After this scheduler's first sync, another one adds a document with a cron this one cannot parse.
        await Backend.Store.InsertMissingAsync([new Mrq.Storage.ScheduledJobState { Hash = "foreign", Path = "tests.X", Cron = "not a cron", DateLastQueued = DateTime.UnixEpoch }], default);
        Time.Advance(TimeSpan.FromSeconds(60));

        Assert.That(await scheduler.TickAsync(default), Is.EqualTo(1));
        Assert.That(Recorder.Queued.Select(q => q.Path), Is.EqualTo(new[] { "tests.A", "tests.A" }));
    }

    [Test]
    public async Task LockHeldByAnother_TickQueuesNothing()
    {
        await Backend.Locks.TryAcquireAsync(MrqScheduler.LockKey, "python-mrq", TimeSpan.FromMinutes(5), default);

        var queued = await Scheduler(new ScheduledTask { Path = "tests.A", Interval = 60 }).TickAsync(default);

        Assert.That(queued, Is.Zero);
        Assert.That(await Backend.Store.ListAsync(default), Is.Empty, "not even synced without the lock");
    }

    private MrqScheduler Scheduler(ScheduledTask task, double interval = 60, Mrq.Storage.ILockStore? locks = null) => SchedulerOf([task], interval, locks);

    private MrqScheduler SchedulerOf(ScheduledTask[] tasks, double interval = 60, Mrq.Storage.ILockStore? locks = null) => new(
        Backend.Store,
        locks ?? Backend.Locks,
        "test",
        Client,
        new MrqOptions { SchedulerTasks = tasks, SchedulerInterval = interval },
        Time,
        NullLogger.Instance);

    /// <summary>A lock every caller gets: what schedulers see when the real lock expired under a slow tick.</summary>
    private sealed class NeverHeldLocks : Mrq.Storage.ILockStore
    {
        public ValueTask<bool> TryAcquireAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken) => new(true);

        public ValueTask<bool> ReleaseAsync(string key, string token, CancellationToken cancellationToken) => new(true);

        public ValueTask<bool> ExtendAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken) => new(true);
    }
}
