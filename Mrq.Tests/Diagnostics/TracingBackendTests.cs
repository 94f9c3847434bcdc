using System.Diagnostics;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.DependencyInjection;
using Mrq.Tests.Storage.LiteDb;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;
using NUnit.Framework;

namespace Mrq.Tests.Diagnostics;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryTracingTests : TracingTestBase
{
    protected override void UseStorage(IMrqBuilder builder) => builder.UseInMemoryStorage();
}

[TestFixture]
[Category("litedb")]
public sealed class LiteDbTracingTests : TracingTestBase
{
    private string _folder = "";

    protected override Task PrepareStorageAsync()
    {
        _folder = LiteDbTestStorage.NewFolder();
        return Task.CompletedTask;
    }

    protected override void UseStorage(IMrqBuilder builder) => builder.UseLiteDb(Path.Combine(_folder, $"jobs-{Guid.NewGuid():N}.db"));

    protected override ValueTask CleanupStorageAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Distributed mode: the trace context travels in the MongoDB job document (field <c>traceparent</c>).</summary>
[TestFixture]
[Category("mongo")]
[Category("redis")]
[Category("distributed")]
public sealed class DistributedTracingTests : TracingTestBase
{
    private MongoTestDatabase? _mongo;
    private RedisTestServer? _redis;

    protected override async Task PrepareStorageAsync()
    {
        _mongo = await MongoTestDatabase.CreateAsync();
        _redis = await RedisTestServer.CreateAsync();
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

    [Test]
    public async Task The_trace_context_is_stored_in_the_job_document_under_fields_MRQ_ignores()
    {
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.TraceStateString = "vendor=1";
        var id = await Host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        var document = await _mongo!.RawJobs.Find(new BsonDocument("_id", new ObjectId(id.ToString()))).SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(document["traceparent"].AsString, Does.StartWith("00-" + caller.TraceId + "-"));
            Assert.That(document["tracestate"].AsString, Is.EqualTo("vendor=1"));
        });
    }

    protected override async ValueTask CleanupStorageAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_mongo is not null)
        {
            await _mongo.DisposeAsync();
        }
    }
}
