using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

[TestFixture]
[Category("mongo")]
public sealed class MongoWorkerStoreTests : WorkerStoreContract
{
    private MongoTestDatabase? _database;

    protected override async ValueTask<IWorkerStore> CreateAsync()
    {
        _database = await MongoTestDatabase.CreateAsync();
        return new MongoWorkerStore(_database.Connection.Workers);
    }

    protected override bool StampsReportTime => true;

    private static WorkerReport ReportAt(string id, DateTime reported) => new()
    {
        Id = id,
        Name = "clock-test",
        Status = "wait",
        Config = new WorkerReportConfig(["default"], 1, 0, 0, "sequential", "clock-test", "127.0.0.1"),
        DateStarted = reported,
        DateReported = reported,
        Process = new WorkerProcessInfo(1, 0, 0, 0),
    };

    [Test]
    public async Task ReportAsync_WorkerClockTwoHoursBehind_StampedWithServerTimeAndAlive()
    {
        var clientNow = DateTime.UtcNow;
        await Part.ReportAsync(ReportAt("aaaaaaaaaaaaaaaaaaaaaaaa", clientNow.AddHours(-2)), Ct);

        var raw = await _database!.Connection.Workers.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(Ct);
        var alive = await Part.ListAliveAsync(TimeSpan.FromHours(1), clientNow, Ct);

        Assert.That(raw["datereported"].ToUniversalTime(), Is.EqualTo(clientNow).Within(TimeSpan.FromMinutes(5)));
        Assert.That(alive, Is.EqualTo(new[] { "aaaaaaaaaaaaaaaaaaaaaaaa" }));
    }

    [Test]
    public async Task ListAliveAsync_ReportOlderThanLeaseOnServerClock_DeadWhateverTheCallersClock()
    {
        // A report the server stamped two hours ago (written raw: ReportAsync always stamps the current time).
        await Part.ReportAsync(ReportAt("aaaaaaaaaaaaaaaaaaaaaaaa", DateTime.UtcNow), Ct);
        await _database!.Connection.Workers.UpdateOneAsync(
            FilterDefinition<BsonDocument>.Empty,
            Builders<BsonDocument>.Update.Set("datereported", DateTime.UtcNow.AddHours(-2)),
            cancellationToken: Ct);

        // The caller's clock is two hours behind too: only the server's time counts.
        var alive = await Part.ListAliveAsync(TimeSpan.FromHours(1), DateTime.UtcNow.AddHours(-2), Ct);

        Assert.That(alive, Is.Empty);
    }

    protected override async ValueTask DisposePartAsync(IWorkerStore part)
    {
        if (_database is { } database)
        {
            _database = null;
            await database.DisposeAsync();
        }
    }
}
