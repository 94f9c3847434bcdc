using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>
/// S1, S2, S5, S6, S3: the commands sent for subqueue discovery, queue filters, queue counts, expiry and logs are
/// the shapes a real MongoDB answers from an index (bounded), checked on the rendered command and on results.
/// </summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoScaleTests
{
    private readonly ConcurrentQueue<BsonDocument> _commands = new();
    private Action<CommandStartedEvent>? _onCommandStarted;
    private MongoTestDatabase _db = null!;
    private MongoJobStore _store = null!;
    private DateTime _now;

    [SetUp]
    public async Task SetUpAsync()
    {
        _db = await MongoTestDatabase.CreateAsync(configureClient: settings =>
            settings.ClusterConfigurator = cluster => cluster.Subscribe<CommandStartedEvent>(e =>
            {
                _commands.Enqueue(BsonDocument.Parse(e.Command.ToJson()));
                _onCommandStarted?.Invoke(e);
            }));
        _store = new MongoJobStore(_db.Connection.Jobs);
        var now = DateTime.UtcNow;
        _now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private BsonDocument[] Sent(string command)
    {
        var sent = _commands.Where(c => c.ElementCount > 0 && c.GetElement(0).Name == command).ToArray();
        Assert.That(sent, Is.Not.Empty, $"no {command} command was sent");
        return sent;
    }

    private async Task InsertAsync(params string[] queues)
    {
        var jobs = queues.Select((q, i) => JobRecord.NewQueued("tests.Noop", [], q, _now.AddMilliseconds(i))).ToArray();
        await _store.InsertAsync(jobs, CancellationToken.None);
    }

    [Test]
    public async Task DistinctQueuesAsync_AllQueues_DistinctWithoutAFilter()
    {
        await InsertAsync("a", "b/c");
        _commands.Clear();

        var queues = await _store.DistinctQueuesAsync("", CancellationToken.None);

        Assert.That(queues, Is.EqualTo(new[] { "a", "b/c" }));
        var query = Sent("distinct").Single().GetValue("query", new BsonDocument()).AsBsonDocument;
        Assert.That(query, Is.Empty, "no $exists: it would FETCH every document instead of a DISTINCT_SCAN");
    }

    [Test]
    public async Task DistinctQueuesAsync_SubqueuePrefix_StringRangeAndRightQueues()
    {
        await InsertAsync("x", "x/a", "x/b/c", "x0", "xy", "x.z", "w/x/");
        _commands.Clear();

        var queues = await _store.DistinctQueuesAsync("x/", CancellationToken.None);

        Assert.That(queues, Is.EqualTo(new[] { "x/a", "x/b/c" }));
        Assert.That(
            Sent("distinct").Single()["query"],
            Is.EqualTo(BsonDocument.Parse("{queue: {$gte: 'x/', $lt: 'x0'}}")));
    }

    [Test]
    public async Task DistinctQueuesAsync_PrefixEndingInNonAscii_AnchoredEscapedRegexAndRightQueues()
    {
        await InsertAsync("café", "café.x", "cafe", "caféé", "cafx");
        _commands.Clear();

        var queues = await _store.DistinctQueuesAsync("café", CancellationToken.None);

        Assert.That(queues, Is.EqualTo(new[] { "café", "café.x", "caféé" }));
        Assert.That(Sent("distinct").Single()["query"]["queue"].BsonType, Is.EqualTo(BsonType.RegularExpression));
    }

    [Test]
    public async Task CountAsync_QueueWithTrailingSlash_BoundedOrWithoutRegexAndRightJobs()
    {
        await InsertAsync("x", "x/a", "x/b/c", "x0", "xy", "x.z", "w/x/");
        _commands.Clear();

        var count = await _store.CountAsync(new JobFilter { Queue = "x/" }, CancellationToken.None);
        var listed = await _store.QueryAsync(new JobFilter { Queue = "x/" }, 0, 10, CancellationToken.None);

        Assert.That(count, Is.EqualTo(3));
        Assert.That(listed.Select(j => j.Queue), Is.EquivalentTo(new[] { "x", "x/a", "x/b/c" }));
        var filter = Sent("find").Single()["filter"].AsBsonDocument;
        Assert.That(filter, Is.EqualTo(BsonDocument.Parse("{$or: [{queue: 'x'}, {queue: {$gte: 'x/', $lt: 'x0'}}]}")));
        Assert.That(filter.ToJson(), Does.Not.Contain("$regex").And.Not.Contain("/^"), "a regex with | is never bounded");
    }

    [Test]
    public async Task CountByQueueAndStatusAsync_MatchesTheStatusesBeforeGrouping()
    {
        await InsertAsync("a", "a", "b");
        _commands.Clear();

        var counts = await _store.CountByQueueAndStatusAsync(CancellationToken.None);

        Assert.That(counts, Is.EquivalentTo(new[]
        {
            new QueueStatusCount("a", JobStatus.Queued, 2),
            new QueueStatusCount("b", JobStatus.Queued, 1),
        }));
        var pipeline = Sent("aggregate").Single()["pipeline"].AsBsonArray;
        Assert.That(pipeline[0].AsBsonDocument.GetElement(0).Name, Is.EqualTo("$match"));
        Assert.That(pipeline[0]["$match"]["status"]["$in"].AsBsonArray.Select(v => v.AsString),
            Is.EquivalentTo(JobStatusNames.All.Select(s => s.ToMrqName())));
        Assert.That(pipeline[1].AsBsonDocument.GetElement(0).Name, Is.EqualTo("$group"));
    }

    [Test]
    public async Task DeleteExpiredAsync_ManyExpired_DeletedInBoundedBatches()
    {
        const int expired = (2 * MongoJobStore.ExpiryBatchSize) + 500;
        await _db.RawJobs.InsertManyAsync(Enumerable.Range(0, expired + 1).Select(i => new BsonDocument
        {
            { "path", "tests.Noop" },
            { "queue", "default" },
            { "status", "success" },
            { "dateexpires", i < expired ? _now.AddMinutes(-1) : _now.AddHours(1) },
        }));
        _commands.Clear();

        var deleted = await _store.DeleteExpiredAsync(_now, CancellationToken.None);

        Assert.That(deleted, Is.EqualTo(expired));
        Assert.That(await _db.RawJobs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty), Is.EqualTo(1));
        var deletes = Sent("delete");
        Assert.That(deletes, Has.Length.EqualTo(3));
        foreach (var delete in deletes)
        {
            var query = delete["deletes"][0]["q"];
            Assert.That(query.ToJson(), Does.Contain("dateexpires"), "each delete re-checks the expiry");
            Assert.That(query.AsBsonDocument.ToJson(), Does.Contain("$in"));
        }
    }

    [Test]
    public async Task DeleteExpiredAsync_JobClaimedBetweenReadAndDelete_Kept()
    {
        await InsertAsync("default", "default");
        await _db.RawJobs.UpdateManyAsync(FilterDefinition<BsonDocument>.Empty, Builders<BsonDocument>.Update.Set("dateexpires", _now.AddMinutes(-1)));
        var claimedId = (await _db.RawJobs.Find(FilterDefinition<BsonDocument>.Empty).Limit(1).FirstAsync())["_id"];
        using var raw = new MongoClient(_db.Url);
        var rawJobs = raw.GetDatabase(_db.Name).GetCollection<BsonDocument>(MongoConnection.JobsCollection);
        // A claim lands after the ids were read: it unsets dateexpires (a plain client, so the hook is not re-entered).
        _onCommandStarted = e =>
        {
            if (e.CommandName == "delete")
            {
                _onCommandStarted = null;
                rawJobs.UpdateOne(
                    Builders<BsonDocument>.Filter.Eq("_id", claimedId),
                    Builders<BsonDocument>.Update.Set("status", "started").Unset("dateexpires"));
            }
        };

        var deleted = await _store.DeleteExpiredAsync(_now, CancellationToken.None);

        Assert.That(deleted, Is.EqualTo(1));
        Assert.That((await _db.RawJobs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync())["_id"], Is.EqualTo(claimedId));
    }
}
