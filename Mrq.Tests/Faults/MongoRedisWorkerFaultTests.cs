using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Mrq.DependencyInjection;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>
/// The worker fault tests on distributed storage: MongoDB jobs (a fresh database per storage) and Redis (a fresh
/// prefix per storage) on the test servers, every part wrapped by the fault proxies.
/// </summary>
[TestFixture]
[Category("distributed")]
public sealed class MongoRedisWorkerFaultTests : WorkerFaultTestBase
{
    private readonly List<string> _databases = [];

    [SetUp]
    public async Task RequireServersAsync()
    {
        await RedisTestServer.IgnoreIfUnreachableAsync();
        await using var probe = await MongoTestDatabase.CreateAsync();
    }

    protected override void UseStorage(IMrqBuilder builder)
    {
        var name = "mrqfault_" + Guid.NewGuid().ToString("N")[..16];
        _databases.Add(name);
        builder.UseMongo(new MongoUrlBuilder(MongoTestDatabase.ServerUrl) { DatabaseName = name }.ToString());
        builder.UseRedis(o =>
        {
            o.Url = RedisTestServer.ServerUrl;
            o.Prefix = "mrqfault-" + Guid.NewGuid().ToString("N")[..12];
        });
    }

    protected override async ValueTask CleanupStorageAsync()
    {
        using var client = new MongoClient(MongoTestDatabase.ServerUrl);
        foreach (var name in _databases)
        {
            await client.DropDatabaseAsync(name);
        }

        _databases.Clear();
    }
}
