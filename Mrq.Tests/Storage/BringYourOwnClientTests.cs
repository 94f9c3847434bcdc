using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;
using Mrq.Tests.Support;
using NUnit.Framework;
using StackExchange.Redis;

namespace Mrq.Tests.Storage;

/// <summary>
/// <c>UseMongo(IMongoClient, database)</c>, <c>UseMongo(IMongoDatabase)</c> and <c>UseRedis(IConnectionMultiplexer)</c>:
/// jobs run over the application's own clients, which Mrq leaves open when it is disposed.
/// </summary>
[TestFixture]
[Category("mongo")]
[Category("redis")]
[Category("distributed")]
public sealed class BringYourOwnClientTests
{
    private MongoTestDatabase? _mongo;
    private RedisTestServer? _redis;
    private MongoClient? _client;
    private ConnectionMultiplexer? _multiplexer;

    [SetUp]
    public async Task CreateServersAsync()
    {
        _mongo = await MongoTestDatabase.CreateAsync();
        _redis = await RedisTestServer.CreateAsync();
        _client = new MongoClient(MongoTestDatabase.ServerUrl);
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(_redis.RawConnection.Configuration);
    }

    [TearDown]
    public async Task DisposeServersAsync()
    {
        _client?.Dispose();
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_mongo is not null)
        {
            await _mongo.DisposeAsync();
        }
    }

    [Test]
    public async Task Jobs_run_over_the_applications_client_and_multiplexer_which_stay_open_after_Mrq_is_disposed()
    {
        await RunOneJobAsync(b => b.UseMongo(_client!, _mongo!.Name).UseRedis(_multiplexer!, o => o.Prefix = _redis!.Prefix));
        await AssertStillOpenAsync();
    }

    [Test]
    public async Task Jobs_run_over_the_applications_database_object()
    {
        await RunOneJobAsync(b => b.UseMongo(_client!.GetDatabase(_mongo!.Name)).UseRedis(_multiplexer!, o => o.Prefix = _redis!.Prefix));
        await AssertStillOpenAsync();
    }

    [Test]
    public void An_invalid_prefix_is_refused_with_the_supplied_multiplexer_too()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() => services.AddMrq(b => b.UseRedis(_multiplexer!, o => o.Prefix = "has space")));
        Assert.That(error!.Message, Does.Contain("prefix"));
    }

    private async Task RunOneJobAsync(Action<IMrqBuilder> useStorage)
    {
        await using var host = await MrqTestHost.StartAsync(useStorage);
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 20, ["b"] = 22 });
        host.StartWorker();
        var job = await Wait.ForEndAsync(host.Client, id);
        Assert.Multiple(() =>
        {
            Assert.That(job.Status, Is.EqualTo(JobStatus.Success));
            Assert.That((int?)job.Result, Is.EqualTo(42));
        });
        var stored = await _mongo!.RawJobs.Find(new BsonDocument("_id", new ObjectId(id.ToString()))).SingleAsync();
        Assert.That(stored["status"].AsString, Is.EqualTo("success"), "the job lives in the application's database");
    }

    private async Task AssertStillOpenAsync()
    {
        var ping = await _client!.GetDatabase(_mongo!.Name).RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        Assert.Multiple(async () =>
        {
            Assert.That(ping["ok"].ToDouble(), Is.EqualTo(1), "the MongoDB client still works after the host was disposed");
            Assert.That(_multiplexer!.IsConnected, Is.True);
            Assert.That(await _multiplexer.GetDatabase().PingAsync(), Is.GreaterThanOrEqualTo(TimeSpan.Zero), "the multiplexer still works after the host was disposed");
        });
    }
}
