using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Storage.Mongo;
using Mrq.Tests.Storage.LiteDb;
using Mrq.Tests.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

[TestFixture]
[Category("engine")]
public sealed class InMemoryScheduleStoreTests : ScheduleStoreContract
{
    protected override ValueTask<IScheduleStore> CreateAsync() =>
        new(InMemoryStorage.AddTo(new MrqStorageParts()).Build().Schedules!);
}

[TestFixture]
[Category("litedb")]
public sealed class LiteDbScheduleStoreTests : ScheduleStoreContract
{
    private LiteDbTestStorage? _storage;

    protected override async ValueTask<IScheduleStore> CreateAsync()
    {
        _storage = await LiteDbTestStorage.CreateAsync();
        return _storage.Storage.Schedules!;
    }

    protected override async ValueTask DisposePartAsync(IScheduleStore part)
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}

[TestFixture]
[Category("mongo")]
public sealed class MongoScheduleStoreTests : ScheduleStoreContract
{
    private MongoTestDatabase? _database;

    private IMongoCollection<BsonDocument> Raw => _database!.Raw.GetCollection<BsonDocument>(MongoScheduleStore.CollectionName);

    protected override async ValueTask<IScheduleStore> CreateAsync()
    {
        _database = await MongoTestDatabase.CreateAsync();
        return new MongoScheduleStore(Raw);
    }

    protected override async ValueTask DisposePartAsync(IScheduleStore part)
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    [Test]
    public async Task Document_HasPythonMrqShape()
    {
        var dailyTime = new DateTime(2026, 3, 2, 12, 30, 0, DateTimeKind.Utc);
        await Part.InsertMissingAsync([new ScheduledJobState
        {
            Hash = "tests.A None 12:30:00 None None None None",
            Path = "tests.A",
            Interval = 86400,
            DailyTime = dailyTime,
            DateLastQueued = DateTime.UnixEpoch,
        }], Ct);

        var document = await Raw.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(Ct);

        Assert.That(document["_id"].BsonType, Is.EqualTo(BsonType.ObjectId));
        Assert.That(document["hash"].AsString, Is.EqualTo("tests.A None 12:30:00 None None None None"));
        Assert.That(document["interval"].BsonType, Is.EqualTo(BsonType.Int32), "Python writes 3600 * 24 as an int");
        Assert.That(document["dailytime"].ToUniversalTime(), Is.EqualTo(dailyTime));
        Assert.That(document["datelastqueued"].ToUniversalTime(), Is.EqualTo(DateTime.UnixEpoch));
        Assert.That(document.Names, Is.EquivalentTo(new[] { "_id", "hash", "path", "interval", "dailytime", "datelastqueued" }));
    }

    [Test]
    public async Task Indexes_UniqueHashAsMrqCreatesIt()
    {
        var indexes = await (await Raw.Indexes.ListAsync(Ct)).ToListAsync(Ct);

        var hash = indexes.SingleOrDefault(i => i["key"].AsBsonDocument.Names.SequenceEqual(["hash"]));
        Assert.That(hash, Is.Not.Null, string.Join(", ", indexes));
        Assert.That(hash!.GetValue("unique", false).ToBoolean(), Is.True);
    }

    [Test]
    public async Task PythonWrittenDocument_Read()
    {
        // What Python MRQ's sync_config_tasks stores for {"path": "tests.B", "interval": 60, "params": {"x": 1}}.
        await Raw.InsertOneAsync(new BsonDocument
        {
            ["_id"] = ObjectId.GenerateNewId(),
            ["path"] = "tests.B",
            ["interval"] = 60,
            ["params"] = new BsonDocument("x", 1),
            ["hash"] = "tests.B 60 None None None None [[\"x\",1]]",
            ["datelastqueued"] = new BsonDateTime(DateTime.UnixEpoch),
        }, cancellationToken: Ct);

        var state = (await Part.ListAsync(Ct)).Single();

        Assert.That((state.Path, state.Interval, state.Params!.ToJsonString(), state.DateLastQueued), Is.EqualTo(("tests.B", (double?)60, "{\"x\":1}", DateTime.UnixEpoch)));
    }
}
