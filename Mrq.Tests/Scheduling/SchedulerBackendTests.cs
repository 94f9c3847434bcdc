using MongoDB.Bson;
using Microsoft.Extensions.Time.Testing;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Storage.Mongo;
using Mrq.Storage.Redis;
using Mrq.Tests.Storage.LiteDb;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

[TestFixture]
[Category("engine")]
public sealed class InMemorySchedulerTests : SchedulerContract
{
    protected override Task<SchedulerBackend> CreateAsync(FakeTimeProvider time)
    {
        var storage = InMemoryStorage.AddTo(new MrqStorageParts(), time).Build();
        return Task.FromResult(new SchedulerBackend(storage.Schedules!, storage.Locks, storage.DisposeAsync));
    }
}

[TestFixture]
[Category("litedb")]
public sealed class LiteDbSchedulerTests : SchedulerContract
{
    protected override async Task<SchedulerBackend> CreateAsync(FakeTimeProvider time)
    {
        var storage = await LiteDbTestStorage.CreateAsync(o => o.TimeProvider = time);
        return new SchedulerBackend(storage.Storage.Schedules!, storage.Storage.Locks, storage.DisposeAsync);
    }
}

/// <summary>Distributed mode: the state in MongoDB's <c>mrq_scheduled_jobs</c>, the lock <c>&lt;prefix&gt;:schedulerlock</c> in Redis.</summary>
[TestFixture]
[Category("mongo")]
[Category("redis")]
public sealed class MongoRedisSchedulerTests : SchedulerContract
{
    protected override async Task<SchedulerBackend> CreateAsync(FakeTimeProvider time)
    {
        var database = await MongoTestDatabase.CreateAsync();
        RedisTestServer redis;
        try
        {
            redis = await RedisTestServer.CreateAsync();
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        var store = new MongoScheduleStore(database.Raw.GetCollection<BsonDocument>(MongoScheduleStore.CollectionName));
        return new SchedulerBackend(store, new RedisLockStore(redis.Connection, redis.Keys), async () =>
        {
            await redis.DisposeAsync();
            await database.DisposeAsync();
        });
    }
}
