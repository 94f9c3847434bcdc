using Microsoft.Extensions.DependencyInjection;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Storage.Redis;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

/// <summary>How the Redis parts join a storage: <see cref="RedisStorage.AddTo"/> and <c>UseRedis</c>.</summary>
[TestFixture]
[Category("redis")]
public sealed class RedisStorageTests
{
    [Test]
    public void AddTo_EmptyParts_SetsOnlyRedisPartsAndConnectsNothing()
    {
        var parts = new MrqStorageParts();

        // Nothing listens there: AddTo must not connect.
        RedisStorage.AddTo(parts, new RedisStorageOptions { Url = $"redis://127.0.0.1:{PrivateRedisServer.FreePort()}" });

        Assert.Multiple(() =>
        {
            Assert.That(parts.RawQueues, Is.InstanceOf<RedisRawQueueStore>());
            Assert.That(parts.QueueStates, Is.InstanceOf<RedisQueueStateStore>());
            Assert.That(parts.SizeCounter, Is.InstanceOf<RedisQueueSizeCounter>());
            Assert.That(parts.Notifier, Is.InstanceOf<RedisJobNotifier>());
            Assert.That(parts.Locks, Is.InstanceOf<RedisLockStore>());
            Assert.That(parts.RateLimits, Is.InstanceOf<RedisRateLimitStore>());
            Assert.That(parts.Jobs, Is.Null);
            Assert.That(parts.Workers, Is.Null);
            Assert.That(parts.Logs, Is.Null);
            Assert.That(parts.Capabilities, Is.Null);
        });
    }

    [Test]
    public void AddTo_AfterAnotherBackend_KeepsItsJobsWorkersLogsAndCapabilities()
    {
        var parts = InMemoryStorage.AddTo(new MrqStorageParts());
        var jobs = parts.Jobs;
        var workers = parts.Workers;
        var logs = parts.Logs;

        RedisStorage.AddTo(parts, new RedisStorageOptions());

        Assert.That(parts.Jobs, Is.SameAs(jobs));
        Assert.That(parts.Workers, Is.SameAs(workers));
        Assert.That(parts.Logs, Is.SameAs(logs));
        Assert.That(parts.Capabilities, Is.SameAs(InMemoryStorage.Capabilities));
        Assert.That(parts.RawQueues, Is.InstanceOf<RedisRawQueueStore>());
    }

    [TestCase("redis://:hunter2@host:notaport")]
    [TestCase("mongodb://:hunter2@host:27017")]
    public void UseRedis_MalformedUrl_ThrowsAtConfigurationWithoutPassword(string url)
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentException>(() => services.AddMrq(b => b.UseRedis(url)));

        Assert.That(ex!.Message, Does.Not.Contain("hunter2"));
    }

    [TestCase("")]
    [TestCase("has space")]
    public void UseRedis_InvalidPrefix_Throws(string prefix)
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddMrq(b => b.UseRedis(o => o.Prefix = prefix)));
    }

    [Test]
    public async Task UseRedis_WithInMemoryJobs_StorageUsesRedisKeysAndClosesConnection()
    {
        await using var server = await RedisTestServer.CreateAsync();
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseInMemoryStorage().UseRedis(o =>
        {
            o.Url = RedisTestServer.ServerUrl;
            o.Prefix = server.Prefix;
        }));
        MrqStorage storage;
        await using (var provider = services.BuildServiceProvider())
        {
            storage = provider.GetRequiredService<MrqStorage>();
            await storage.InitializeAsync();

            await storage.RawQueues.PushAsync("di_raw", [new RawQueueItem("m")], DateTime.UtcNow, CancellationToken.None);
            await storage.QueueStates.PauseAsync("di", CancellationToken.None);

            Assert.That(storage.Capabilities, Is.SameAs(InMemoryStorage.Capabilities));
            Assert.That(storage.Notifier, Is.InstanceOf<RedisJobNotifier>());
            Assert.That((await server.Raw.ListRangeAsync($"{server.Prefix}:q:di_raw")).Select(v => v.ToString()), Is.EqualTo(["m"]));
            Assert.That(await server.Raw.SetContainsAsync($"{server.Prefix}:s:paused", "di"), Is.True);
        }

        Assert.ThrowsAsync<ObjectDisposedException>(async () => await storage.QueueStates.GetPausedAsync(CancellationToken.None));
    }

    [Test]
    public async Task InitializeAsync_RedisUnreachable_StorageFailsNamingServer()
    {
        var port = PrivateRedisServer.FreePort();
        var parts = InMemoryStorage.AddTo(new MrqStorageParts());
        RedisStorage.AddTo(parts, new RedisStorageOptions
        {
            Url = $"redis://:hunter2@127.0.0.1:{port}",
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        await using var storage = parts.Build();

        var ex = Assert.ThrowsAsync<MrqStorageException>(async () => await storage.InitializeAsync());

        Assert.That(ex!.Message, Does.Contain($"127.0.0.1:{port}").And.Not.Contain("hunter2"));
        Assert.That(ex.Message, Does.Not.Contain("abortConnect").And.Not.Contain("in your code"), "advice meant for code using the client library");
    }
}
