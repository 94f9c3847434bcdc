using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>Options, the public entry points, start-up errors and MRQ's indexes.</summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoStorageSetupTests
{
    private const string Password = "s3cr3t-P4ssw0rd";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Test]
    public void AddTo_Options_SetsCapabilitiesAndMongoParts()
    {
        var parts = new MrqStorageParts();

        var returned = MongoStorage.AddTo(parts, new MongoStorageOptions());

        Assert.That(returned, Is.SameAs(parts));
        Assert.That(parts.Capabilities, Is.EqualTo(new StorageCapabilities("mongodb", Durable: true, SharedAcrossProcesses: true)));
        Assert.That(parts.Jobs, Is.InstanceOf<MongoJobStore>());
        Assert.That(parts.Workers, Is.InstanceOf<MongoWorkerStore>());
        Assert.That(parts.Logs, Is.InstanceOf<MongoJobLogStore>());
        Assert.That(parts.RawQueues, Is.Null);
        Assert.That(parts.Locks, Is.Null);
    }

    [Test]
    public void Options_Defaults_AreMrqs()
    {
        var options = new MongoStorageOptions();

        Assert.That(options.Url, Is.EqualTo("mongodb://127.0.0.1:27017/mrq"));
        Assert.That(options.EnsureIndexes, Is.True);
        Assert.That(options.StartupTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [TestCase("mongodb://127.0.0.1:27017/jobsdb", "jobsdb")]
    [TestCase("mongodb://127.0.0.1:27017", "mrq")]
    [TestCase("mongodb://127.0.0.1:27017/?directConnection=true", "mrq")]
    public void Connection_Url_DatabaseFromPathDefaultMrq(string url, string database)
    {
        using var connection = new MongoConnection(new MongoStorageOptions { Url = url });

        Assert.That(connection.DatabaseName, Is.EqualTo(database));
        Assert.That(connection.Describe(), Is.EqualTo($"MongoDB at 127.0.0.1:27017, database '{database}'"));
    }

    [Test]
    public void AddTo_InvalidUrlWithPassword_ThrowsWithoutThePassword()
    {
        var ex = Assert.Throws<MrqStorageException>(() =>
            MongoStorage.AddTo(new MrqStorageParts(), new MongoStorageOptions { Url = $"mongodb://admin:{Password}@127.0.0.1:notaport/db" }));

        TestContext.Out.WriteLine(ex!.Message);
        Assert.That(ex.Message, Does.Contain("not valid"));
        Assert.That(ex.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public void AddTo_EmptyUrl_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => MongoStorage.AddTo(new MrqStorageParts(), new MongoStorageOptions { Url = " " }));
    }

    [Test]
    public async Task InitializeAsync_UnreachableServerWithPassword_NamesHostPortAndDatabaseNotPassword()
    {
        var port = FreePort();
        using var connection = new MongoConnection(new MongoStorageOptions
        {
            Url = $"mongodb://admin:{Password}@127.0.0.1:{port}/jobsdb?authSource=admin",
            StartupTimeout = TimeSpan.FromSeconds(1),
        });

        var ex = Assert.ThrowsAsync<MrqStorageException>(async () => await connection.InitializeAsync(CancellationToken.None));
        await TestContext.Out.WriteLineAsync(ex!.Message);

        Assert.That(ex.Message, Does.Contain($"127.0.0.1:{port}"));
        Assert.That(ex.Message, Does.Contain("'jobsdb'"));
        Assert.That(ex.ToString(), Does.Not.Contain(Password));
        Assert.That(ex.ToString(), Does.Not.Contain("admin:"));
    }

    [Test]
    public void InitializeAsync_CallerCancelled_ThrowsOperationCanceled()
    {
        using var connection = new MongoConnection(new MongoStorageOptions { Url = $"mongodb://127.0.0.1:{FreePort()}/x" });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.CatchAsync<OperationCanceledException>(async () => await connection.InitializeAsync(cancelled.Token));
    }

    [Test]
    public async Task InitializeAsync_EnsureIndexes_CreatesMrqsIndexes()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: true);

        var jobs = await ListIndexesAsync(db.RawJobs);
        var workers = await ListIndexesAsync(db.RawWorkers);
        var logs = await ListIndexesAsync(db.RawLogs);

        Assert.That(jobs.Keys, Is.EquivalentTo(new[]
        {
            "_id", "status", "path", "worker", "queue", "dateexpires", "dateretry", "datequeued", "queue,status,datequeued,_id", "status,queue,path",
            "unique_key",
        }));
        Assert.That(jobs["unique_key"]["unique"].ToBoolean(), Is.True, "unique jobs (not MRQ's): one holder per key");
        if (!db.IsEmulator)
        {
            // The MongoDB-wire test server keeps the index but not its partial filter.
            Assert.That(jobs["unique_key"]["partialFilterExpression"].AsBsonDocument.Names, Is.EquivalentTo(new[] { "unique_key", "status" }));
        }
        Assert.That(jobs["worker"].GetValue("sparse", false).ToBoolean(), Is.True);
        Assert.That(jobs["dateexpires"].GetValue("sparse", false).ToBoolean(), Is.True);
        Assert.That(jobs["dateexpires"]["expireAfterSeconds"].ToInt32(), Is.Zero);
        Assert.That(jobs["dateretry"].GetValue("sparse", false).ToBoolean(), Is.True);
        Assert.That(jobs["datequeued"].Contains("expireAfterSeconds"), Is.False);
        Assert.That(workers.Keys, Is.EquivalentTo(new[] { "_id", "status", "datereported" }));
        Assert.That(workers["datereported"]["expireAfterSeconds"].ToInt32(), Is.EqualTo(3600));
        Assert.That(logs.Keys, Is.EquivalentTo(new[] { "_id", "job", "worker" }));
        Assert.That(logs["worker"].GetValue("sparse", false).ToBoolean(), Is.True);
    }

    [Test]
    public async Task EnsureIndexesAsync_RunTwice_Idempotent()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: true);

        await db.Connection.EnsureIndexesAsync(CancellationToken.None);

        Assert.That(await ListIndexesAsync(db.RawJobs), Has.Count.EqualTo(11));
    }

    [Test]
    public async Task EnsureIndexesAsync_OlderIndexWithOtherOptions_Kept()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        db.IgnoreOnEmulator("does not report index option conflicts (IndexOptionsConflict, code 85)");
        // An older MRQ created datequeued as sparse; the current spec has no sparse.
        await db.RawJobs.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("datequeued"), new CreateIndexOptions { Sparse = true }));

        await db.Connection.EnsureIndexesAsync(CancellationToken.None);

        var jobs = await ListIndexesAsync(db.RawJobs);
        Assert.That(jobs["datequeued"]["sparse"].ToBoolean(), Is.True);
        Assert.That(jobs, Has.Count.EqualTo(11));
    }

    [Test]
    public async Task InitializeAsync_EnsureIndexesOff_OnlyIdIndexes()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        await db.RawJobs.InsertOneAsync(new BsonDocument("path", "x"));

        var jobs = await ListIndexesAsync(db.RawJobs);

        Assert.That(jobs.Keys, Is.EqualTo(new[] { "_id" }));
    }

    [Test]
    public async Task UseMongo_Url_StorageBuildsInitializesAndDisposesTheConnection()
    {
        var probe = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        var url = probe.Url;
        await probe.DisposeAsync();
        var builder = new RecordingBuilder();
        builder.UseMongo(url);
        var parts = InMemoryStorage.AddTo(new MrqStorageParts());
        builder.Steps.Single()(new ServiceCollection().BuildServiceProvider(), parts);

        using var raw = new MongoClient(url);
        var database = raw.GetDatabase(MongoUrl.Create(url).DatabaseName);
        try
        {
            await using (var storage = parts.Build())
            {
                await storage.InitializeAsync();
                await storage.Jobs.InsertAsync([JobRecord.NewQueued("tests.Noop", [], "default", DateTime.UtcNow)], CancellationToken.None);

                Assert.That(storage.Capabilities.Name, Is.EqualTo("mongodb"));
                Assert.That(storage.Jobs, Is.InstanceOf<MongoJobStore>());
                Assert.That(storage.Workers, Is.InstanceOf<MongoWorkerStore>());
                Assert.That(storage.Logs, Is.InstanceOf<MongoJobLogStore>());
            }

            var jobs = database.GetCollection<BsonDocument>("mrq_jobs");
            Assert.That(await jobs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty), Is.EqualTo(1));
            Assert.That(await (await jobs.Indexes.ListAsync()).ToListAsync(), Has.Count.EqualTo(11), "EnsureIndexes ran at initialization");
        }
        finally
        {
            await raw.DropDatabaseAsync(database.DatabaseNamespace.DatabaseName);
        }
    }

    [Test]
    public void UseMongo_ConfigureOverload_AppliesOptions()
    {
        var builder = new RecordingBuilder();

        builder.UseMongo(options =>
        {
            options.Url = "mongodb://127.0.0.1:27017/configured";
            options.EnsureIndexes = false;
        });
        var parts = new MrqStorageParts();
        builder.Steps.Single()(new ServiceCollection().BuildServiceProvider(), parts);

        Assert.That(parts.Jobs, Is.InstanceOf<MongoJobStore>());
        Assert.That(parts.Workers, Is.InstanceOf<MongoWorkerStore>());
    }

    private static async Task<Dictionary<string, BsonDocument>> ListIndexesAsync(IMongoCollection<BsonDocument> collection)
    {
        var indexes = await (await collection.Indexes.ListAsync()).ToListAsync();
        return indexes.ToDictionary(index => string.Join(",", index["key"].AsBsonDocument.Names));
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
