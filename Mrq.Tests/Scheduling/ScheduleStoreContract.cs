using System.Text.Json.Nodes;
using Mrq.Storage;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

/// <summary>The contract of <see cref="IScheduleStore"/>, run on every backend.</summary>
public abstract class ScheduleStoreContract : StorageContract<IScheduleStore>
{
    private static readonly DateTime s_t0 = new(2026, 3, 2, 10, 0, 0, 123, DateTimeKind.Utc);

    private static ScheduledJobState State(string hash, DateTime? lastQueued = null) => new()
    {
        Hash = hash,
        Path = "tests.A",
        DateLastQueued = lastQueued ?? DateTime.UnixEpoch,
    };

    [Test]
    public async Task InsertMissing_RoundTripsEveryField()
    {
        var state = new ScheduledJobState
        {
            Hash = "h1",
            Path = "tests.A",
            Params = new JsonObject { ["a"] = 1, ["s"] = "x", ["list"] = new JsonArray(1, 2) },
            Queue = "q",
            Interval = 86400,
            DailyTime = s_t0,
            Weekday = 0,
            Monthday = 31,
            Cron = "*/5 * * * *",
            TimeZone = "Europe/Paris",
            Catchup = "all",
            DateLastQueued = s_t0,
        };

        Assert.That(await Part.InsertMissingAsync([state], Ct), Is.EqualTo(1));

        var read = (await Part.ListAsync(Ct)).Single();
        Assert.That(read with { Params = null }, Is.EqualTo(state with { Params = null }));
        Assert.That(read.Params!.ToJsonString(), Is.EqualTo(state.Params.ToJsonString()));
    }

    [Test]
    public async Task InsertMissing_StoredHash_LeftAsItIs()
    {
        await Part.InsertMissingAsync([State("h1", s_t0)], Ct);

        var inserted = await Part.InsertMissingAsync([State("h1"), State("h2")], Ct);

        Assert.That(inserted, Is.EqualTo(1));
        var states = (await Part.ListAsync(Ct)).ToDictionary(s => s.Hash);
        Assert.That(states["h1"].DateLastQueued, Is.EqualTo(s_t0), "not overwritten");
        Assert.That(states.Keys, Is.EquivalentTo(new[] { "h1", "h2" }));
    }

    [Test]
    public async Task Delete_RemovesOnlyThoseHashes()
    {
        await Part.InsertMissingAsync([State("h1"), State("h2"), State("h3")], Ct);

        Assert.That(await Part.DeleteAsync(["h1", "h3", "none"], Ct), Is.EqualTo(2));

        Assert.That((await Part.ListAsync(Ct)).Select(s => s.Hash), Is.EqualTo(new[] { "h2" }));
    }

    [Test]
    public async Task TryMarkQueued_ExpectedDate_Set_OtherwiseRefused()
    {
        await Part.InsertMissingAsync([State("h1")], Ct);

        Assert.That(await Part.TryMarkQueuedAsync("h1", s_t0, s_t0.AddSeconds(1), Ct), Is.False, "not the stored date");
        Assert.That(await Part.TryMarkQueuedAsync("h1", DateTime.UnixEpoch, s_t0, Ct), Is.True);
        Assert.That(await Part.TryMarkQueuedAsync("h1", DateTime.UnixEpoch, s_t0.AddSeconds(1), Ct), Is.False, "already moved");
        Assert.That(await Part.TryMarkQueuedAsync("gone", DateTime.UnixEpoch, s_t0, Ct), Is.False, "no such hash");
        Assert.That((await Part.ListAsync(Ct)).Single().DateLastQueued, Is.EqualTo(s_t0));
    }

    [Test]
    public async Task TryMarkQueued_ManyRacing_ExactlyOneWins()
    {
        await Part.InsertMissingAsync([State("h1", s_t0)], Ct);

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            Task.Run(async () => await Part.TryMarkQueuedAsync("h1", s_t0, s_t0.AddMinutes(1).AddMilliseconds(i), Ct))));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }
}
