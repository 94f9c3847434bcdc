using Mrq.Storage;
using Mrq.Storage.Redis;
using NUnit.Framework;
using StackExchange.Redis;

namespace Mrq.Tests.Storage.Redis;

/// <summary>
/// Redis behaviours that keep the store usable next to Python MRQ and on real servers: bounded notify lists, set
/// listing without SORT, <c>_raw</c> pops on Redis older than 6.2, byte-exact raw members and MRQ's pause rule.
/// </summary>
[TestFixture]
[Category("redis")]
public sealed class RedisCompatTests
{
    private static readonly DateTime s_now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private RedisTestServer _server = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

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

    [Test]
    public async Task NotifyAsync_RepeatedWhileNobodyWaits_KeepsAtMostOneHundredSignals()
    {
        var notifier = new RedisJobNotifier(_server.Connection, _server.Keys, TimeSpan.FromSeconds(30));

        await notifier.NotifyAsync("busy", 100, Ct);
        await notifier.NotifyAsync("busy", 100, Ct);
        await notifier.NotifyAsync("busy", 7, Ct);

        var key = $"{_server.Prefix}:notify:busy";
        Assert.That(await _server.Raw.ListLengthAsync(key), Is.EqualTo(100));
        Assert.That(await _server.Raw.KeyTimeToLiveAsync(key), Is.Not.Null);
    }

    [Test]
    public async Task ListAsync_SetQueue_PagesWithoutSort()
    {
        // A user that may not run SORT (nor SORT_RO, which the client sends on Redis 7): listing a set must page it with SSCAN, never SORT over the whole set.
        var user = _server.Prefix;
        await _server.Raw.ExecuteAsync("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-sort", "-sort_ro");
        try
        {
            var url = new UriBuilder(RedisTestServer.ServerUrl) { UserName = user, Password = "secret" }.Uri.ToString();
            var options = new RedisStorageOptions { Url = url, Prefix = _server.Prefix };
            await using var connection = new RedisConnection(options);
            await connection.InitializeAsync(Ct);
            var store = new RedisRawQueueStore(connection, _server.Keys);
            var members = Enumerable.Range(0, 250).Select(i => $"m{i:D3}").ToArray();
            await store.PushAsync("big_set", members.Select(m => new RawQueueItem(m)).ToArray(), s_now, Ct);

            var pages = new List<string>();
            for (var skip = 0; skip < 300; skip += 100)
            {
                pages.AddRange((await store.ListAsync("big_set", skip, 100, Ct)).Select(i => i.Member));
            }

            Assert.That(pages, Is.EquivalentTo(members));
            Assert.That(await store.ListAsync("big_set", 240, 5, Ct), Has.Count.EqualTo(5));
        }
        finally
        {
            await _server.Raw.ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    [Test]
    public async Task PopAsync_ListWithoutLpopCount_PopsInOrderAtomically()
    {
        var store = new RedisRawQueueStore(_server.Connection, _server.Keys, listPopCount: false);
        await store.PushAsync("old_raw", new[] { "a", "b", "c" }.Select(m => new RawQueueItem(m)).ToArray(), s_now, Ct);

        var first = await store.PopAsync("old_raw", 2, s_now, null, Ct);
        var second = await store.PopAsync("old_raw", 2, s_now, null, Ct);
        var empty = await store.PopAsync("old_raw", 2, s_now, null, Ct);

        Assert.That(first, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(second, Is.EqualTo(new[] { "c" }));
        Assert.That(empty, Is.Empty);
        Assert.That(await _server.Raw.KeyExistsAsync($"{_server.Prefix}:q:old_raw"), Is.False);
    }

    [TestCase("ERR wrong number of arguments for 'lpop' command", true)]
    [TestCase("WRONGTYPE Operation against a key holding the wrong kind of value", false)]
    public void IsCountRefused_RecognisesRedisBefore62(string message, bool refused) =>
        Assert.That(RedisRawQueueStore.IsCountRefused(new RedisServerException(RedisErrorKind.None, CommandFlags.None, message)), Is.EqualTo(refused));

    [Test]
    public async Task PopThenPushBack_NonUtf8ListMember_WritesTheSameBytes()
    {
        byte[] msgpack = [0x82, 0xa1, 0x61, 0xff, 0x00, 0xc3, 0x28, 0x41];
        var key = $"{_server.Prefix}:q:bin_raw";
        await _server.Raw.ListRightPushAsync(key, msgpack);
        var store = new RedisRawQueueStore(_server.Connection, _server.Keys);

        var popped = await store.PopAsync("bin_raw", 10, s_now, null, Ct);
        await store.PushAsync("bin_raw", [new RawQueueItem(popped.Single())], s_now, Ct);

        var stored = await _server.Raw.ListRangeAsync(key);
        Assert.That((byte[])stored.Single()!, Is.EqualTo(msgpack));
    }

    [Test]
    public async Task ListThenRemove_NonUtf8SetMember_RemovesExactlyThoseBytes()
    {
        byte[] pickle = [0x80, 0x04, 0x95, 0xe9, 0x80];
        var key = $"{_server.Prefix}:q:bin_set";
        await _server.Raw.SetAddAsync(key, [pickle, "text é"]);
        var store = new RedisRawQueueStore(_server.Connection, _server.Keys);

        var listed = await store.ListAsync("bin_set", 0, 10, Ct);
        var binary = listed.Select(i => i.Member).Single(m => m != "text é");
        var removed = await store.RemoveAsync("bin_set", [binary], Ct);

        Assert.That(removed, Is.EqualTo(1));
        Assert.That((await _server.Raw.SetMembersAsync(key)).Select(v => v.ToString()), Is.EqualTo(new[] { "text é" }));
    }

    [Test]
    public async Task PauseAsync_QueueWithSubqueues_StoresTheRootPythonWorkersCheck()
    {
        var store = new RedisQueueStateStore(_server.Connection, _server.Keys);

        await store.PauseAsync("main/", Ct);
        var paused = await _server.Raw.SetMembersAsync($"{_server.Prefix}:s:paused");
        await store.ResumeAsync("main/", Ct);

        // MRQ's worker skips a queue when its root_id or id is in the set; "main/" would pause no Python subqueue.
        Assert.That(paused.Select(v => v.ToString()), Is.EqualTo(new[] { "main" }));
        Assert.That(await _server.Raw.SetLengthAsync($"{_server.Prefix}:s:paused"), Is.Zero);
    }
}
