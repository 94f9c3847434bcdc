using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>The acceptance scenarios in distributed mode: jobs in MongoDB (a fresh database), the rest in Redis (a fresh prefix).</summary>
[TestFixture]
[Category("mongo")]
[Category("redis")]
[Category("distributed")]
public sealed class DistributedAcceptanceTests : AcceptanceTestBase
{
    private MongoTestDatabase? _mongo;
    private RedisTestServer? _redis;

    [SetUp]
    public async Task CreateServersAsync()
    {
        _mongo = await MongoTestDatabase.CreateAsync();
        _redis = await RedisTestServer.CreateAsync();
        await DeleteQueueSizeCountersAsync();
    }

    /// <summary>MRQ's queuesize counters have no prefix, so each test starts from none (tests run one at a time).</summary>
    private async Task DeleteQueueSizeCountersAsync()
    {
        var server = _redis!.RawConnection.GetServers()[0];
        await foreach (var key in server.KeysAsync(_redis.Raw.Database, "queuesize:*"))
        {
            await _redis.Raw.KeyDeleteAsync(key);
        }
    }

    protected override void UseStorage(IMrqBuilder builder)
    {
        builder.UseMongo(_mongo!.Url);
        builder.UseRedis(o =>
        {
            o.Url = _redis!.Options.Url;
            o.Prefix = _redis.Options.Prefix;
        });
    }

    protected override async ValueTask CleanupStorageAsync()
    {
        if (_redis is not null)
        {
            await DeleteQueueSizeCountersAsync();
            await _redis.DisposeAsync();
        }

        if (_mongo is not null)
        {
            await _mongo.DisposeAsync();
        }
    }
}
