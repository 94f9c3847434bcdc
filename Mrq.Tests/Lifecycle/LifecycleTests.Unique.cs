using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary>Unique jobs: a key held while the job may still run returns the holder's id; atomic in every storage.</summary>
public sealed partial class LifecycleTests
{
    private static QueueJobOptions Keyed(string key, TimeSpan? delay = null) => new() { Queue = "uniq", UniqueKey = key, Delay = delay };

    private Task<long> CountJobsAsync(MrqTestHost host) => host.Storage.Jobs.CountAsync(new JobFilter(), CancellationToken.None).AsTask();

    [Test]
    public async Task Unique_SameKeyWhileQueued_ReturnsTheQueuedJob()
    {
        var host = await StartHostAsync();

        var first = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed("report-42"));
        var second = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 9, ["b"] = 9 }, Keyed("report-42"));
        var other = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed("report-43"));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(await CountJobsAsync(host), Is.EqualTo(2));
        Assert.That(await host.Client.GetQueueSizeAsync("uniq"), Is.EqualTo(2));
        Assert.That((await host.Client.GetJobAsync(first))!.UniqueKey, Is.EqualTo("report-42"));
    }

    [Test]
    public async Task Unique_HeldByADelayedJob_ReturnsIt()
    {
        var host = await StartHostAsync(NewClock());

        var delayed = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed("k", TimeSpan.FromMinutes(5)));
        var again = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed("k"));

        Assert.That(again, Is.EqualTo(delayed));
        Assert.That((await host.Client.GetJobAsync(delayed))!.Status, Is.EqualTo(JobStatus.Retry));
    }

    [Test]
    public async Task Unique_ReleasedWhenTheJobEndsOrIsCancelled()
    {
        var host = await StartHostAsync(options: o => o.Queues = ["uniq"]);
        var first = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed("k"));
        Assert.That(await host.Client.CancelAsync(first), Is.True);

        var second = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed("k"));
        Assert.That(second, Is.Not.EqualTo(first), "a cancelled job releases its key");

        host.StartWorker();
        await Wait.ForStatusAsync(host.Client, second, JobStatus.Success);
        var third = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed("k"));
        Assert.That(third, Is.Not.EqualTo(second), "a finished job releases its key");
    }

    [Test]
    public async Task Unique_TaskRule_PathAndSelectedParams()
    {
        var host = await StartHostAsync();

        var user1 = await host.Client.QueueJobAsync("tests.lifecycle.PerUser", new JsonObject { ["user"] = 1, ["note"] = "a" });
        var user1Again = await host.Client.QueueJobAsync("tests.lifecycle.PerUser", new JsonObject { ["user"] = 1, ["note"] = "b" });
        var batch = await host.Client.QueueJobsAsync("tests.lifecycle.PerUser", [new JsonObject { ["user"] = 2 }, new JsonObject { ["user"] = 2 }, new JsonObject { ["user"] = 1 }]);

        Assert.That(user1Again, Is.EqualTo(user1));
        Assert.That(batch[0], Is.Not.EqualTo(user1));
        Assert.That(batch[1], Is.EqualTo(batch[0]));
        Assert.That(batch[2], Is.EqualTo(user1));
        Assert.That(await CountJobsAsync(host), Is.EqualTo(2));
        Assert.That((await host.Client.GetJobAsync(user1))!.UniqueKey, Is.EqualTo("tests.lifecycle.PerUser {\"user\":1}"));
    }

    [Test]
    public async Task Unique_EmptyKey_RefusedWithNothingStored()
    {
        var host = await StartHostAsync();

        Assert.ThrowsAsync<ArgumentException>(() => host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed(" ")));
        Assert.That(await CountJobsAsync(host), Is.Zero);
    }

    [Test]
    public async Task Unique_RacingProducers_ExactlyOneJob()
    {
        var host = await StartHostAsync();
        await IgnoreWhenUniqueIndexNotEnforcedAsync();

        // Each round, producers start together on a fresh key; every one must get the same id.
        for (var round = 0; round < 5; round++)
        {
            using var start = new ManualResetEventSlim();
            var key = $"race-{round}";
            var producers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                start.Wait(Wait.Long);
                return await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, Keyed(key));
            })).ToArray();
            start.Set();

            var ids = await Task.WhenAll(producers);

            Assert.That(ids.Distinct().Count(), Is.EqualTo(1), $"round {round}");
        }

        Assert.That(await CountJobsAsync(host), Is.EqualTo(5));
    }

    /// <summary>MongoDB enforces the unique partial index; the MongoDB-wire test server accepts it but does not.</summary>
    private async Task IgnoreWhenUniqueIndexNotEnforcedAsync()
    {
        if (_backend is not TestBackend.DistributedBackend distributed)
        {
            return;
        }

        var probe = new BsonDocument { ["unique_key"] = "probe-" + Guid.NewGuid().ToString("N"), ["status"] = "queued" };
        await distributed.Mongo.RawJobs.InsertOneAsync(probe.DeepClone().AsBsonDocument);
        try
        {
            await distributed.Mongo.RawJobs.InsertOneAsync(probe.DeepClone().AsBsonDocument);
        }
        catch (MongoWriteException ex) when (ex.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            await distributed.Mongo.RawJobs.DeleteManyAsync(new BsonDocument("unique_key", probe["unique_key"]));
            return;
        }

        Assert.Ignore("This MongoDB server does not enforce unique indexes (the MongoDB-wire test server accepts the index but never refuses a duplicate), so racing producers cannot be tested here; MongoDB 6.0+ enforces it.");
    }
}
