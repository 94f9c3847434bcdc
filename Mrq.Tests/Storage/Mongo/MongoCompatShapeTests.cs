using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>C3 and C4: documents as MRQ writes them, and documents MRQ could write that this store cannot map.</summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoCompatShapeTests
{
    private const string Worker = "5f0c3b2a1d4e5f6a7b8c9d0e";

    [TestCase(1.0, BsonType.Int32)]
    [TestCase(0.0, BsonType.Int32)]
    [TestCase(0.25, BsonType.Double)]
    public void ToDocument_Progress_WholeRatiosAsMrqsInt(double progress, BsonType stored)
    {
        var job = JobRecord.NewQueued("tests.Noop", [], "default", DateTime.UtcNow);
        job.Progress = progress;

        var document = JobDocumentMapper.ToDocument(job);

        Assert.That(document["progress"].BsonType, Is.EqualTo(stored));
        Assert.That(document["progress"].ToDouble(), Is.EqualTo(progress));
    }

    [Test]
    public void ToDocument_TracebackEntryWithoutWorker_OmitsTheField()
    {
        var entry = new TracebackEntry(DateTime.UtcNow, JobStatus.Failed, "ValueError", "tb", null, null);

        var document = JobDocumentMapper.ToDocument(entry);

        Assert.That(document.Contains("worker"), Is.False, document.ToJson());
        Assert.That(JobDocumentMapper.ToDocument(entry with { Worker = Worker })["worker"], Is.EqualTo(new BsonObjectId(ObjectId.Parse(Worker))));
    }

    [Test]
    public async Task SaveProgressAsync_One_StoredAsInt()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        var store = new MongoJobStore(db.Connection.Jobs);
        var job = JobRecord.NewQueued("tests.Noop", [], "default", DateTime.UtcNow);
        job.Status = JobStatus.Started;
        job.Worker = Worker;
        await store.InsertAsync([job], CancellationToken.None);

        await store.SaveProgressAsync([new JobProgress(job.Id, Worker, 1.0)], CancellationToken.None);

        var stored = await db.RawJobs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync();
        Assert.That(stored["progress"], Is.EqualTo(new BsonInt32(1)));
    }

    [Test]
    public async Task QueryAsync_DocumentWithUnknownStatus_SkippedAndLoggedRestListed()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        var logger = new MongoCompatLogger();
        var store = new MongoJobStore(db.Connection.Jobs, logger);
        var good = JobRecord.NewQueued("tests.Noop", [], "default", DateTime.UtcNow);
        await store.InsertAsync([good], CancellationToken.None);
        await db.RawJobs.InsertOneAsync(new BsonDocument { { "path", "tests.Odd" }, { "queue", "default" }, { "status", "paused-by-hand" } });

        var listed = await store.QueryAsync(JobFilter.All, 0, 10, CancellationToken.None);

        Assert.That(listed.Select(j => j.Id), Is.EqualTo(new[] { good.Id }));
        Assert.That(logger.Warnings, Has.Some.Contains("paused-by-hand"));
    }

    [Test]
    public async Task ClaimAsync_ParamsNotADocument_JobFailedExplicitlyNotRun()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);
        var store = new MongoJobStore(db.Connection.Jobs);
        var now = DateTime.UtcNow;
        var good = JobRecord.NewQueued("tests.Noop", [], "default", now);
        await store.InsertAsync([good], CancellationToken.None);
        var odd = ObjectId.GenerateNewId();
        await db.RawJobs.InsertOneAsync(new BsonDocument
        {
            { "_id", odd }, { "path", "tests.Noop" }, { "queue", "default" }, { "status", "queued" },
            { "datequeued", now.AddSeconds(-1) }, { "params", new BsonArray { 1, 2 } },
        });

        var claimed = await store.ClaimAsync(new ClaimRequest("default", 10, Worker, now), CancellationToken.None);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { good.Id }));
        var stored = await db.RawJobs.Find(Builders<BsonDocument>.Filter.Eq("_id", odd)).SingleAsync();
        Assert.That(stored["status"].AsString, Is.EqualTo("failed"));
        Assert.That(stored["exceptiontype"].AsString, Is.EqualTo("InvalidParams"));
        Assert.That(stored["params"], Is.EqualTo(new BsonArray { 1, 2 }), "the document is kept as it was written");
    }
}
