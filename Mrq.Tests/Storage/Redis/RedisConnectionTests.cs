using System.Diagnostics;
using Mrq.Storage;
using Mrq.Storage.Redis;
using NUnit.Framework;
using StackExchange.Redis;

namespace Mrq.Tests.Storage.Redis;

/// <summary>Start-up failures and reconnection of the storage's connections.</summary>
[TestFixture]
[Category("redis")]
public sealed class RedisConnectionTests
{
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

    [SetUp]
    public void SetUp() => _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

    [TearDown]
    public void TearDown() => _timeout.Dispose();

    [Test]
    public async Task InitializeAsync_NoServer_MrqStorageExceptionNamesHostPortNotPassword()
    {
        var port = PrivateRedisServer.FreePort();
        await using var connection = new RedisConnection(new RedisStorageOptions
        {
            Url = $"redis://:hunter2@127.0.0.1:{port}/1",
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });

        var ex = Assert.ThrowsAsync<MrqStorageException>(async () => await connection.InitializeAsync(Ct));

        Assert.That(ex!.Message, Does.Contain($"127.0.0.1:{port}"));
        Assert.That(ex.ToString(), Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task StoreCall_NoServer_MrqStorageExceptionOnLazyConnect()
    {
        var port = PrivateRedisServer.FreePort();
        await using var connection = new RedisConnection(new RedisStorageOptions
        {
            Url = $"redis://127.0.0.1:{port}",
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var states = new RedisQueueStateStore(connection, new RedisKeys("mrq"));

        Assert.ThrowsAsync<MrqStorageException>(async () => await states.GetPausedAsync(Ct));
    }

    [Test]
    public async Task Operations_AfterServerRestart_WorkAgain()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        await using var connection = new RedisConnection(new RedisStorageOptions { Url = server.Url, Prefix = "restart" });
        var keys = new RedisKeys("restart");
        var states = new RedisQueueStateStore(connection, keys);
        var notifier = new RedisJobNotifier(connection, keys, TimeSpan.FromSeconds(30));
        await connection.InitializeAsync(Ct);
        await states.PauseAsync("before", Ct);
        await notifier.NotifyAsync("n", 1, Ct);
        Assert.That(await notifier.WaitAsync(["n"], TimeSpan.FromSeconds(30), Ct), Is.True, "a blocking connection is pooled");

        await server.StopAsync();
        await server.StartAgainAsync();

        await RetryAsync(async () => await states.PauseAsync("after", Ct));
        var paused = await states.GetPausedAsync(Ct);
        await RetryAsync(async () => await notifier.NotifyAsync("n", 1, Ct));
        var woken = await RetryAsync(async () => await notifier.WaitAsync(["n"], TimeSpan.FromSeconds(30), Ct));

        Assert.That(paused, Is.EquivalentTo(["after"]), "the restarted server is empty (nothing saved) and was written again");
        Assert.That(woken, Is.True);
    }

    [Test]
    public async Task WaitAsync_ServerDown_ReturnsFalseInsteadOfThrowing()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        await using var connection = new RedisConnection(new RedisStorageOptions
        {
            Url = server.Url,
            Prefix = "down",
            ConnectTimeout = TimeSpan.FromSeconds(1),
        });
        var notifier = new RedisJobNotifier(connection, new RedisKeys("down"), TimeSpan.FromSeconds(1));
        await notifier.NotifyAsync("n", 1, Ct);
        Assert.That(await notifier.WaitAsync(["n"], TimeSpan.FromSeconds(30), Ct), Is.True, "a blocking connection is pooled");

        await server.StopAsync();

        // Once with the pooled connection (its socket is gone), once with a fresh one (the connect is refused).
        Assert.That(await notifier.WaitAsync(["n"], TimeSpan.FromSeconds(1), Ct), Is.False);
        Assert.That(await notifier.WaitAsync(["n"], TimeSpan.FromSeconds(1), Ct), Is.False);
    }

    [Test]
    public async Task DisposeAsync_WhileWaiting_EndsTheWait()
    {
        await using var server = await RedisTestServer.CreateAsync();
        var options = new RedisStorageOptions { Url = RedisTestServer.ServerUrl, Prefix = server.Prefix };
        var connection = new RedisConnection(options);
        await connection.InitializeAsync(Ct);
        var notifier = new RedisJobNotifier(connection, server.Keys, TimeSpan.FromSeconds(1));
        var waiting = notifier.WaitAsync(["q"], TimeSpan.FromSeconds(50), Ct).AsTask();
        await WaitUntilBlockedAsync(server, waiting);

        await connection.DisposeAsync();

        Assert.CatchAsync<ObjectDisposedException>(async () => await waiting);
    }

    /// <summary>Waits until the server reports a client blocked in BLPOP (so the test acts while the wait is really on).</summary>
    private async Task WaitUntilBlockedAsync(RedisTestServer server, Task waiting)
    {
        var clock = Stopwatch.StartNew();
        while (!waiting.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var clients = await server.RawConnection.GetServers()[0].ClientListAsync();
            if (clients.Any(c => c.LastCommand?.Equals("blpop", StringComparison.OrdinalIgnoreCase) == true
                && (c.Flags & ClientFlags.Blocked) != 0))
            {
                return;
            }

            await Task.Delay(20, Ct);
        }

        Assert.That(waiting.IsCompleted, Is.False, "the wait ended before it blocked");
    }

    private async Task RetryAsync(Func<Task> action) => await RetryAsync(async () =>
    {
        await action();
        return true;
    });

    /// <summary>Retries while the connection recovers (the multiplexer reconnects in the background).</summary>
    private async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when ((ex is RedisException or MrqStorageException) && clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(100, Ct);
            }
        }
    }
}
