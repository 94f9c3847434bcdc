using Mrq.Storage;
using Mrq.Storage.Redis;
using NUnit.Framework;
using StackExchange.Redis;

namespace Mrq.Tests.Storage.Redis;

/// <summary>
/// What the Redis parts write, read back at the raw Redis level as Python MRQ would see it (reference §2.4): key
/// names, prefixes, types, members, scores and expiries — and the other way round, data written the way MRQ writes it
/// is read by the parts.
/// </summary>
[TestFixture]
[Category("redis")]
public sealed class RedisKeyLayoutTests
{
    private static readonly DateTime s_now = new(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private RedisTestServer _server = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

    private IDatabase Raw => _server.Raw;

    private string P => _server.Prefix;

    [SetUp]
    public async Task SetUpAsync()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await RedisTestServer.CreateAsync();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _timeout.Dispose();
    }

    private RedisRawQueueStore RawQueues => new(_server.Connection, _server.Keys);

    private static double Unix(DateTime time) => (time - DateTime.UnixEpoch).TotalSeconds;

    [Test]
    public async Task PushAsync_RawList_IsPrefixedListInPushOrder()
    {
        await RawQueues.PushAsync("x_raw", [new("a"), new("b"), new("a")], s_now, Ct);

        Assert.That(await Raw.KeyTypeAsync($"{P}:q:x_raw"), Is.EqualTo(RedisType.List));
        Assert.That((await Raw.ListRangeAsync($"{P}:q:x_raw")).Select(v => v.ToString()), Is.EqualTo(["a", "b", "a"]));
        Assert.That(await Raw.KeyExistsAsync($"{P}:ksq:x_raw"), Is.False, "a root queue is no subqueue");
    }

    [Test]
    public async Task PushAsync_Set_IsPrefixedSet()
    {
        await RawQueues.PushAsync("x_set", [new("a"), new("b"), new("a")], s_now, Ct);

        Assert.That(await Raw.KeyTypeAsync($"{P}:q:x_set"), Is.EqualTo(RedisType.Set));
        Assert.That((await Raw.SetMembersAsync($"{P}:q:x_set")).Select(v => v.ToString()), Is.EquivalentTo(["a", "b"]));
    }

    [Test]
    public async Task PushAsync_SortedAndTimedSets_AreZsetsWithScores()
    {
        await RawQueues.PushAsync("x_sorted_set", [new("a", 5), new("b", -1.5)], s_now, Ct);
        await RawQueues.PushAsync("x_timed_set", [new("due"), new("later", Unix(s_now) + 60)], s_now, Ct);

        var sorted = await Raw.SortedSetRangeByRankWithScoresAsync($"{P}:q:x_sorted_set");
        var timed = await Raw.SortedSetRangeByRankWithScoresAsync($"{P}:q:x_timed_set");

        Assert.That(await Raw.KeyTypeAsync($"{P}:q:x_sorted_set"), Is.EqualTo(RedisType.SortedSet));
        Assert.That(sorted.Select(e => (e.Element.ToString(), e.Score)), Is.EqualTo([("b", -1.5), ("a", 5.0)]));
        Assert.That(timed.Select(e => e.Element.ToString()), Is.EqualTo(["due", "later"]));
        Assert.That(timed[0].Score, Is.EqualTo(Unix(s_now)), "a timed member without score is due now (Unix seconds)");
        Assert.That(timed[1].Score, Is.EqualTo(Unix(s_now) + 60));
    }

    [Test]
    public async Task PushAsync_Subqueue_AddsFullNameToRootKnownSubqueueSet()
    {
        await RawQueues.PushAsync("x_raw/sub/deeper", [new("m")], s_now, Ct);

        Assert.That((await Raw.ListRangeAsync($"{P}:q:x_raw/sub/deeper")).Select(v => v.ToString()), Is.EqualTo(["m"]));
        Assert.That(await Raw.KeyTypeAsync($"{P}:ksq:x_raw"), Is.EqualTo(RedisType.Set));
        Assert.That((await Raw.SetMembersAsync($"{P}:ksq:x_raw")).Select(v => v.ToString()), Is.EqualTo(["x_raw/sub/deeper"]));
    }

    [Test]
    public async Task PopAsync_DataWrittenLikeMrq_PoppedInMrqOrder()
    {
        // What Python MRQ's enqueue_raw_jobs writes: RPUSH, SADD and ZADD {member: score} on P:q:<queue>.
        await Raw.ListRightPushAsync($"{P}:q:py_raw", ["1", "2", "3"]);
        await Raw.SortedSetAddAsync($"{P}:q:py_sorted_set", [new("hi", 10), new("lo", 1)]);
        await Raw.SortedSetAddAsync($"{P}:q:py_timed_set", [new("old", Unix(s_now) - 5), new("future", Unix(s_now) + 5)]);

        Assert.That(await RawQueues.PopAsync("py_raw", 2, s_now, null, Ct), Is.EqualTo(["1", "2"]));
        Assert.That(await RawQueues.PopAsync("py_sorted_set", 1, s_now, null, Ct), Is.EqualTo(["lo"]));
        Assert.That(await RawQueues.PopAsync("py_timed_set", 10, s_now, null, Ct), Is.EqualTo(["old"]));
        Assert.That(await Raw.ListRangeAsync($"{P}:q:py_raw"), Is.EqualTo(new RedisValue[] { "3" }));
        Assert.That(await Raw.SortedSetLengthAsync($"{P}:q:py_timed_set"), Is.EqualTo(1));
    }

    [Test]
    public async Task PopAsync_TimedSetPushback_RescoresRawMemberToNowPlusPushback()
    {
        await Raw.SortedSetAddAsync($"{P}:q:pb_timed_set", "job", Unix(s_now) - 1);

        var popped = await RawQueues.PopAsync("pb_timed_set", 5, s_now, TimeSpan.FromSeconds(30), Ct);

        Assert.That(popped, Is.EqualTo(["job"]));
        Assert.That(await Raw.SortedSetScoreAsync($"{P}:q:pb_timed_set", "job"), Is.EqualTo(Unix(s_now) + 30));
    }

    [Test]
    public async Task ListAsync_Set_PagesCoverEveryMemberOnce()
    {
        await RawQueues.PushAsync("page_set", [new("d"), new("a"), new("c"), new("b"), new("e")], s_now, Ct);

        var first = await RawQueues.ListAsync("page_set", 0, 2, Ct);
        var second = await RawQueues.ListAsync("page_set", 2, 2, Ct);
        var last = await RawQueues.ListAsync("page_set", 4, 10, Ct);

        // SSCAN order (a set has none): the pages of an unchanged set cover each member once.
        Assert.That(first.Concat(second).Concat(last).Select(i => i.Member), Is.EquivalentTo(["a", "b", "c", "d", "e"]));
        Assert.That(last, Has.Count.EqualTo(1));
        Assert.That(first.Select(i => i.Score), Is.All.Null);
        Assert.That(await Raw.SetLengthAsync($"{P}:q:page_set"), Is.EqualTo(5), "listing removes nothing");
    }

    [Test]
    public async Task ForgetSubqueueAsync_RemovesOnlyAnEmptySubqueueFromKnownSet()
    {
        await RawQueues.PushAsync("f_set/a", [new("1")], s_now, Ct);
        await RawQueues.PushAsync("f_set/b", [new("2")], s_now, Ct);
        await RawQueues.PopAsync("f_set/a", 10, s_now, null, Ct);
        Assert.That(await Raw.KeyExistsAsync($"{P}:q:f_set/a"), Is.False, "Redis drops the emptied set");

        var forgotten = await RawQueues.ForgetSubqueueAsync("f_set/", "f_set/a", Ct);
        var kept = await RawQueues.ForgetSubqueueAsync("f_set/", "f_set/b", Ct);

        Assert.That((forgotten, kept), Is.EqualTo((true, false)));
        Assert.That((await Raw.SetMembersAsync($"{P}:ksq:f_set")).Select(v => v.ToString()), Is.EqualTo(["f_set/b"]));
        Assert.That(await RawQueues.KnownSubqueuesAsync("f_set/", Ct), Is.EqualTo(["f_set/b"]), "a worker queue with a trailing slash names the same root");
        Assert.That(await Raw.SetLengthAsync($"{P}:q:f_set/b"), Is.EqualTo(1), "the subqueue's members are untouched");
    }

    [Test]
    public async Task PauseAsync_WritesPrefixedPausedSet()
    {
        var states = new RedisQueueStateStore(_server.Connection, _server.Keys);

        await states.PauseAsync("high", Ct);
        await states.PauseAsync("low/sub", Ct);
        await Raw.SetAddAsync($"{P}:s:paused", "from-python");

        Assert.That(await Raw.KeyTypeAsync($"{P}:s:paused"), Is.EqualTo(RedisType.Set));
        Assert.That(await states.GetPausedAsync(Ct), Is.EquivalentTo(["high", "low/sub", "from-python"]));
        await states.ResumeAsync("high", Ct);
        Assert.That((await Raw.SetMembersAsync($"{P}:s:paused")).Select(v => v.ToString()), Is.EquivalentTo(["low/sub", "from-python"]));
    }

    [Test]
    public async Task AdjustAsync_WritesUnprefixedQueueSizeWithQueueTtl()
    {
        var counter = new RedisQueueSizeCounter(_server.Connection, TimeSpan.FromSeconds(86400));
        var queue = P + "-default";

        await counter.AdjustAsync(new Dictionary<string, long> { [queue] = 3 }, Ct);
        await counter.AdjustAsync(new Dictionary<string, long> { [queue] = -1 }, Ct);

        Assert.That((string?)await Raw.StringGetAsync($"queuesize:{queue}"), Is.EqualTo("2"));
        Assert.That(await Raw.KeyExistsAsync($"{P}:queuesize:{queue}"), Is.False);
        var ttl = await Raw.KeyTimeToLiveAsync($"queuesize:{queue}");
        Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.FromSeconds(86000)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(86400)));

        await Raw.StringIncrementAsync($"queuesize:{queue}", 5);
        Assert.That(await counter.GetAsync(queue, Ct), Is.EqualTo(7), "a counter bumped by Python MRQ reads back");
    }

    [Test]
    public async Task IncrementAsync_WritesUnprefixedWindowKeyWithPerPlus10Ttl()
    {
        var limits = new RedisRateLimitStore(_server.Connection);
        var key = P + "-api";
        var now = DateTime.UtcNow;
        var window = (long)Math.Floor(Unix(now)) / 10;

        var count = await limits.IncrementAsync(key, 10, now, Ct);

        Assert.That(count, Is.EqualTo(1));
        Assert.That((string?)await Raw.StringGetAsync($"ratelimit:{key}:{window}"), Is.EqualTo("1"));
        var ttl = await Raw.KeyTimeToLiveAsync($"ratelimit:{key}:{window}");
        Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task TryAcquireAsync_WritesPrefixedTokenKeyWithMillisecondTtl()
    {
        var locks = new RedisLockStore(_server.Connection, _server.Keys);

        Assert.That(await locks.TryAcquireAsync("c:tests.tasks.Locked", "token-1", TimeSpan.FromMilliseconds(7500), Ct), Is.True);

        Assert.That((string?)await Raw.StringGetAsync($"{P}:c:tests.tasks.Locked"), Is.EqualTo("token-1"));
        var ttl = await Raw.KeyTimeToLiveAsync($"{P}:c:tests.tasks.Locked");
        Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMilliseconds(7500)));
    }

    [Test]
    public async Task LockStore_LockHeldByPythonToken_ExcludesUsAndSurvivesOurRelease()
    {
        var locks = new RedisLockStore(_server.Connection, _server.Keys);
        await Raw.StringSetAsync($"{P}:c:tests.tasks.Locked", "python-uuid", TimeSpan.FromMinutes(1), When.NotExists);

        Assert.That(await locks.TryAcquireAsync("c:tests.tasks.Locked", "ours", TimeSpan.FromMinutes(1), Ct), Is.False);
        Assert.That(await locks.ReleaseAsync("c:tests.tasks.Locked", "ours", Ct), Is.False);
        Assert.That((string?)await Raw.StringGetAsync($"{P}:c:tests.tasks.Locked"), Is.EqualTo("python-uuid"));
    }

    [Test]
    public async Task NotifyAsync_LpushesOnesCappedAt100WithTwiceMaxLatencyExpiry()
    {
        var notifier = new RedisJobNotifier(_server.Connection, _server.Keys, TimeSpan.FromSeconds(30));

        await notifier.NotifyAsync("q/sub", 3, Ct);
        var afterThree = await Raw.ListRangeAsync($"{P}:notify:q");
        await notifier.NotifyAsync("q", 500, Ct);

        Assert.That(afterThree.Select(v => v.ToString()), Is.EqualTo(["1", "1", "1"]));
        Assert.That(await Raw.ListLengthAsync($"{P}:notify:q"), Is.EqualTo(100), "trimmed to 100 signals in the same MULTI");
        var ttl = await Raw.KeyTimeToLiveAsync($"{P}:notify:q");
        Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.FromSeconds(30)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(await Raw.KeyExistsAsync($"{P}:notify:q/sub"), Is.False, "notify lists are per root queue");
    }
}
