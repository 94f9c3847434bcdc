using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>S3 and S6 at start-up: <c>mrq_logs</c> is created capped like MRQ's, and a non-TTL expiry index is reported.</summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoScaleSetupTests
{
    private readonly ConcurrentQueue<BsonDocument> _creates = new();

    [SetUp]
    public void SetUp() => _creates.Clear();

    private void Record(MongoClientSettings settings) =>
        settings.ClusterConfigurator = cluster => cluster.Subscribe<CommandStartedEvent>(e =>
        {
            if (e.CommandName == "create")
            {
                _creates.Enqueue(BsonDocument.Parse(e.Command.ToJson()));
            }
        });

    /// <summary>The <c>create</c> command sent for mrq_logs; on a server that reports collection options, those too.</summary>
    private async Task AssertLogsCreatedCappedAsync(MongoTestDatabase db, long size)
    {
        var create = _creates.Single(c => c["create"] == MongoConnection.LogsCollection);
        Assert.That(create.GetValue("capped", false).ToBoolean(), Is.True, create.ToJson());
        Assert.That(create["size"].ToInt64(), Is.EqualTo(size));
        var options = (await CollectionInfoAsync(db, MongoConnection.LogsCollection))!.GetValue("options", new BsonDocument()).AsBsonDocument;
        if (!db.IsEmulator)
        {
            Assert.That(options.GetValue("capped", false).ToBoolean(), Is.True, options.ToJson());
            Assert.That(options["size"].ToInt64(), Is.EqualTo(size));
        }
    }
    private static async Task<BsonDocument?> CollectionInfoAsync(MongoTestDatabase db, string name)
    {
        var infos = await (await db.Raw.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", name) }))
            .ToListAsync();
        return infos.SingleOrDefault();
    }

    private MongoConnection Reopen(MongoTestDatabase db, MongoCompatLogger? logger = null, long? logsSize = null)
    {
        var options = new MongoStorageOptions { Url = db.Url, EnsureIndexes = false };
        if (logsSize is { } size)
        {
            options.LogsCappedSize = size;
        }

        return new MongoConnection(options, Record, logger);
    }

    [Test]
    public async Task InitializeAsync_NoLogsCollection_CreatedCappedAtMrqsSixteenMegabytes()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: true, configureClient: Record);

        await AssertLogsCreatedCappedAsync(db, 16L * 1024 * 1024);
    }

    [Test]
    public async Task EnsureCappedLogsAsync_OptionSize_Used()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        await db.Raw.DropCollectionAsync(MongoConnection.LogsCollection);
        using var connection = Reopen(db, logsSize: 1024 * 1024);

        await connection.EnsureCappedLogsAsync(CancellationToken.None);

        await AssertLogsCreatedCappedAsync(db, 1024 * 1024);
    }

    [Test]
    public async Task EnsureCappedLogsAsync_ExistingPlainCollection_NeverConverted()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        await db.Raw.DropCollectionAsync(MongoConnection.LogsCollection);
        await db.RawLogs.InsertOneAsync(new BsonDocument("logs", "older line\n"));
        using var connection = Reopen(db);

        await connection.EnsureCappedLogsAsync(CancellationToken.None);

        Assert.That(_creates, Is.Empty, "an existing collection is never re-created or converted");
        var options = (await CollectionInfoAsync(db, MongoConnection.LogsCollection))!.GetValue("options", new BsonDocument()).AsBsonDocument;
        Assert.That(options.GetValue("capped", false).ToBoolean(), Is.False);
        Assert.That(await db.RawLogs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty), Is.EqualTo(1));
    }

    [Test]
    public async Task EnsureIndexesAsync_PlainDateExpiresIndexKept_WarnsJobsWillNotExpire()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        await db.RawJobs.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("dateexpires"), new CreateIndexOptions { Sparse = true }));
        var logger = new MongoCompatLogger();
        using var connection = Reopen(db, logger);

        await connection.EnsureIndexesAsync(CancellationToken.None);

        var indexes = await (await db.RawJobs.Indexes.ListAsync()).ToListAsync();
        if (indexes.Single(i => i["name"] == "dateexpires_1").Contains("expireAfterSeconds"))
        {
            Assert.Ignore("this server replaced the plain index by the TTL one instead of reporting the conflict (CongoDB does), so there is nothing to warn about");
        }

        Assert.That(logger.Warnings, Has.Some.Contains("no expireAfterSeconds").And.Some.Contains("dateexpires_1"));
    }

    [Test]
    public async Task EnsureIndexesAsync_MrqsTtlIndex_NoWarning()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        var logger = new MongoCompatLogger();
        using var connection = Reopen(db, logger);

        await connection.EnsureIndexesAsync(CancellationToken.None);

        Assert.That(logger.Warnings, Is.Empty);
    }
}
