using Mrq.Storage.Redis;
using NUnit.Framework;
using StackExchange.Redis;

namespace Mrq.Tests.Storage.Redis;

/// <summary>
/// The notifier's wake-ups: a real BLPOP on MRQ's notify lists, run on dedicated connections so the shared
/// multiplexer keeps serving other commands while workers wait.
/// </summary>
[TestFixture]
[Category("redis")]
public sealed class RedisJobNotifierTests
{
    /// <summary>Far longer than any test needs: a wait that ends early was woken, never timed out.</summary>
    private static readonly TimeSpan s_long = TimeSpan.FromSeconds(50);

    private RedisTestServer _server = null!;
    private RedisJobNotifier _notifier = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

    [SetUp]
    public async Task SetUpAsync()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await RedisTestServer.CreateAsync(o => o.MaxLatency = TimeSpan.FromSeconds(30));
        _notifier = new RedisJobNotifier(_server.Connection, _server.Keys, _server.Options.MaxLatency);
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
    public async Task WaitAsync_SignalPendingBeforeWait_ReturnsTrueAndConsumesOne()
    {
        await _notifier.NotifyAsync("default", 2, Ct);

        var woken = await _notifier.WaitAsync(["default"], s_long, Ct);

        Assert.That(woken, Is.True);
        Assert.That(await _server.Raw.ListLengthAsync($"{_server.Prefix}:notify:default"), Is.EqualTo(1));
    }

    [Test]
    public async Task WaitAsync_NotifiedWhileWaiting_ReturnsTrue()
    {
        var waiting = _notifier.WaitAsync(["low", "high"], s_long, Ct).AsTask();

        await _notifier.NotifyAsync("high", 1, Ct);

        Assert.That(await waiting, Is.True);
    }

    [Test]
    public async Task WaitAsync_SignalWrittenByPythonMrq_ReturnsTrue()
    {
        var waiting = _notifier.WaitAsync(["main/"], s_long, Ct).AsTask();

        // Python MRQ's Queue.notify: LPUSH P:notify:<root> 1 …, EXPIRE.
        await _server.Raw.ListLeftPushAsync($"{_server.Prefix}:notify:main", "1");

        Assert.That(await waiting, Is.True);
    }

    [Test]
    public async Task WaitAsync_SubqueueNotified_WakesWaiterOnRoot()
    {
        var waiting = _notifier.WaitAsync(["jobs/"], s_long, Ct).AsTask();

        await _notifier.NotifyAsync("jobs/customer-42", 1, Ct);

        Assert.That(await waiting, Is.True);
    }

    [Test]
    public async Task WaitAsync_NoSignal_ReturnsFalseAfterTimeout()
    {
        var woken = await _notifier.WaitAsync(["quiet"], TimeSpan.FromSeconds(1), Ct);

        Assert.That(woken, Is.False);
    }

    [Test]
    public async Task WaitAsync_Blocked_SharedConnectionStillServesCommands()
    {
        var states = new RedisQueueStateStore(_server.Connection, _server.Keys);
        var waiting = _notifier.WaitAsync(["idle"], s_long, Ct).AsTask();

        // A BLPOP on the shared multiplexer would hold these back until it returned, 50 s later.
        for (var i = 0; i < 20; i++)
        {
            await states.PauseAsync("q" + i, Ct);
        }

        var paused = await states.GetPausedAsync(Ct);

        Assert.That(paused, Has.Count.EqualTo(20));
        Assert.That(waiting.IsCompleted, Is.False, "the wait is still blocked while the other commands completed");
        await _notifier.NotifyAsync("idle", 1, Ct);
        Assert.That(await waiting, Is.True);
    }

    [Test]
    public async Task WaitAsync_ConcurrentWaiters_EachWokenBySignals()
    {
        var waiters = Enumerable.Range(0, 4).Select(_ => _notifier.WaitAsync(["busy"], s_long, Ct).AsTask()).ToArray();

        await _notifier.NotifyAsync("busy", 4, Ct);
        var woken = await Task.WhenAll(waiters);

        Assert.That(woken, Is.All.True);
    }

    [Test]
    public async Task WaitAsync_Cancelled_ThrowsAndNextWaitStillWorks()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waiting = _notifier.WaitAsync(["c"], s_long, cancel.Token).AsTask();

        await cancel.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await waiting);
        await _notifier.NotifyAsync("d", 1, Ct);
        Assert.That(await _notifier.WaitAsync(["d"], s_long, Ct), Is.True);
    }

    [Test]
    public async Task NotifyAsync_ZeroCount_WritesNothing()
    {
        await _notifier.NotifyAsync("none", 0, Ct);

        Assert.That(await _server.Raw.KeyExistsAsync($"{_server.Prefix}:notify:none"), Is.False);
    }
}
