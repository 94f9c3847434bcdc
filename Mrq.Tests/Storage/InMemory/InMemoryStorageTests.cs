using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryStorageTests
{
    [Test]
    public async Task AddTo_EmptyParts_BuildsCompleteNonDurableStorage()
    {
        var parts = InMemoryStorage.AddTo(new MrqStorageParts());

        await using var storage = parts.Build();

        Assert.That(storage.Capabilities, Is.EqualTo(new StorageCapabilities("in-memory", Durable: false, SharedAcrossProcesses: false)));
        Assert.That(storage.Jobs, Is.Not.Null);
        Assert.That(storage.RawQueues, Is.Not.Null);
        Assert.That(storage.QueueStates, Is.Not.Null);
        Assert.That(storage.Locks, Is.Not.Null);
        Assert.That(storage.RateLimits, Is.Not.Null);
        Assert.That(storage.Workers, Is.Not.Null);
        Assert.That(storage.Logs, Is.Not.Null);
        Assert.That(storage.Notifier, Is.Not.Null, "the engine's default notifier");
        Assert.That(storage.SizeCounter, Is.Null, "sizes are counted from jobs");
        await storage.InitializeAsync();
    }

    [Test]
    public void AddTo_CalledTwice_GivesIndependentStores()
    {
        var first = InMemoryStorage.AddTo(new MrqStorageParts());
        var second = InMemoryStorage.AddTo(new MrqStorageParts());

        Assert.That(first.Jobs, Is.Not.SameAs(second.Jobs));
        Assert.That(first.RawQueues, Is.Not.SameAs(second.RawQueues));
    }

    [Test]
    public async Task AddTo_WithTimeProvider_LockExpiryFollowsThatClock()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var locks = InMemoryStorage.AddTo(new MrqStorageParts(), clock).Locks!;
        Assert.That(await locks.TryAcquireAsync("c:tests.A", "t1", TimeSpan.FromSeconds(10), CancellationToken.None), Is.True);

        clock.Now += TimeSpan.FromSeconds(9.999);
        var beforeExpiry = await locks.TryAcquireAsync("c:tests.A", "t2", TimeSpan.FromSeconds(10), CancellationToken.None);
        clock.Now += TimeSpan.FromMilliseconds(1);
        var atExpiry = await locks.TryAcquireAsync("c:tests.A", "t2", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.That(beforeExpiry, Is.False);
        Assert.That(atExpiry, Is.True);
        Assert.That(await locks.ReleaseAsync("c:tests.A", "t1", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task UseInMemoryStorage_Builder_StepSetsPartsWithRegisteredClock()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var builder = new RecordingBuilder();
        builder.Services.AddSingleton<TimeProvider>(clock);

        var returned = builder.UseInMemoryStorage();
        await using var services = builder.Services.BuildServiceProvider();
        var parts = new MrqStorageParts();
        foreach (var step in builder.Steps)
        {
            step(services, parts);
        }

        Assert.That(returned, Is.SameAs(builder));
        Assert.That(builder.Steps, Has.Count.EqualTo(1));
        Assert.That(parts.Capabilities!.Name, Is.EqualTo("in-memory"));
        Assert.That(await parts.Locks!.TryAcquireAsync("k", "t1", TimeSpan.FromSeconds(1), CancellationToken.None), Is.True);
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.That(await parts.Locks.TryAcquireAsync("k", "t2", TimeSpan.FromSeconds(1), CancellationToken.None), Is.True, "expiry read from the registered clock");
    }

    [Test]
    public void UseInMemoryStorage_NullBuilder_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ((IMrqBuilder)null!).UseInMemoryStorage());
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class RecordingBuilder : IMrqBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public List<Action<IServiceProvider, MrqStorageParts>> Steps { get; } = [];

        public IMrqBuilder ConfigureStorage(Action<IServiceProvider, MrqStorageParts> configure)
        {
            Steps.Add(configure);
            return this;
        }
    }
}
