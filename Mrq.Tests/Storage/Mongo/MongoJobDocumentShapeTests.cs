using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>
/// The <c>mrq_jobs</c> documents our store writes, read raw with the driver, and documents written the way Python
/// MRQ writes them, run through our store (reference §2.1, §2.5).
/// </summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoJobDocumentShapeTests
{
    private const string Worker = "5f0c3b2a1d4e5f6a7b8c9d0e";
    private static readonly ObjectId s_workerId = ObjectId.Parse(Worker);

    private MongoTestDatabase _db = null!;
    private MongoJobStore _store = null!;
    private DateTime _now;

    [SetUp]
    public async Task SetUpAsync()
    {
        _db = await MongoTestDatabase.CreateAsync();
        _store = new MongoJobStore(_db.Connection.Jobs);
        var now = DateTime.UtcNow;
        _now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private async Task<BsonDocument> RawAsync(JobId id) =>
        await _db.RawJobs.Find(new BsonDocument("_id", new ObjectId(id.ToByteArray()))).SingleAsync();

    private static string[] Names(BsonDocument document) => document.Names.ToArray();

    [Test]
    public async Task InsertAsync_QueuedJob_WritesExactlyMrqsInsertShape()
    {
        var job = JobRecord.NewQueued("tests.tasks.Add", new JsonObject { ["a"] = 41, ["b"] = 1.5, ["s"] = "x" }, "default", _now);

        await _store.InsertAsync([job], CancellationToken.None);
        var raw = await RawAsync(job.Id);

        Assert.That(Names(raw), Is.EqualTo(new[] { "_id", "path", "params", "queue", "datequeued", "status" }));
        Assert.That(raw["_id"], Is.EqualTo(new BsonObjectId(new ObjectId(job.Id.ToByteArray()))));
        Assert.That(raw["_id"].AsObjectId.ToString(), Is.EqualTo(job.Id.ToString()));
        Assert.That(raw["path"], Is.EqualTo(new BsonString("tests.tasks.Add")));
        Assert.That(raw["params"], Is.EqualTo(new BsonDocument { { "a", 41 }, { "b", 1.5 }, { "s", "x" } }));
        Assert.That(raw["params"]["a"].BsonType, Is.EqualTo(BsonType.Int32));
        Assert.That(raw["queue"], Is.EqualTo(new BsonString("default")));
        Assert.That(raw["datequeued"], Is.EqualTo(new BsonDateTime(_now)));
        Assert.That(raw["status"], Is.EqualTo(new BsonString("queued")));
    }

    [Test]
    public async Task ClaimAsync_QueuedJob_WritesMrqsDequeueFields()
    {
        var job = JobRecord.NewQueued("tests.tasks.Add", [], "default", _now);
        job.DateExpires = _now.AddDays(1);
        await _store.InsertAsync([job], CancellationToken.None);

        await _store.ClaimAsync(new ClaimRequest("default", 1, Worker, _now.AddSeconds(1)), CancellationToken.None);
        var raw = await RawAsync(job.Id);

        Assert.That(raw["status"], Is.EqualTo(new BsonString("started")));
        Assert.That(raw["datestarted"], Is.EqualTo(new BsonDateTime(_now.AddSeconds(1))));
        Assert.That(raw["worker"], Is.EqualTo(new BsonObjectId(s_workerId)), "MRQ stores the worker id as an ObjectId");
        Assert.That(raw.Contains("dateexpires"), Is.False);
    }

    [Test]
    public async Task ClaimAsync_WorkerIdNotAnObjectId_StoredAsStringAndReadBack()
    {
        var job = JobRecord.NewQueued("tests.tasks.Add", [], "default", _now);
        await _store.InsertAsync([job], CancellationToken.None);

        var claimed = await _store.ClaimAsync(new ClaimRequest("default", 1, "host.1234-worker", _now), CancellationToken.None);
        var raw = await RawAsync(job.Id);

        Assert.That(raw["worker"], Is.EqualTo(new BsonString("host.1234-worker")));
        Assert.That(claimed.Single().Worker, Is.EqualTo("host.1234-worker"));
        var applied = await _store.CompleteAsync(
            [new JobOutcome { Id = job.Id, Worker = "host.1234-worker", Status = JobStatus.Success, DateUpdated = _now }], CancellationToken.None);
        Assert.That(applied, Is.EqualTo(new[] { true }));
    }

    [Test]
    public async Task CompleteAsync_PythonQueuedJob_ClaimedAndCompletedInMrqsShape()
    {
        // What Python MRQ's queue_job inserts: {path, params, queue, datequeued, status: "queued"} with a driver _id.
        var id = ObjectId.GenerateNewId();
        await _db.RawJobs.InsertOneAsync(new BsonDocument
        {
            { "_id", id },
            { "path", "tests.tasks.general.Add" },
            { "params", new BsonDocument { { "a", 41 }, { "b", 1 }, { "big", 9007199254740993L }, { "f", 0.5 } } },
            { "queue", "default" },
            { "datequeued", new BsonDateTime(_now.AddSeconds(-5)) },
            { "status", "queued" },
        });
        var jobId = JobId.FromBytes(id.ToByteArray());

        var claimed = await _store.ClaimAsync(new ClaimRequest("default", 10, Worker, _now), CancellationToken.None);
        var applied = await _store.CompleteAsync(
            [
                new JobOutcome
                {
                    Id = jobId,
                    Worker = Worker,
                    Status = JobStatus.Success,
                    DateUpdated = _now.AddSeconds(2),
                    Result = JsonValue.Create(42),
                    TotalTime = 2.25,
                    DateExpires = _now.AddDays(7),
                },
            ],
            CancellationToken.None);
        var raw = await RawAsync(jobId);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { jobId }));
        Assert.That(claimed[0].Path, Is.EqualTo("tests.tasks.general.Add"));
        Assert.That(claimed[0].Params.ToJsonString(), Is.EqualTo("""{"a":41,"b":1,"big":9007199254740993,"f":0.5}"""));
        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That(Names(raw), Is.EquivalentTo(new[]
        {
            "_id", "path", "params", "queue", "datequeued", "status", "datestarted", "worker", "dateupdated", "result", "totaltime", "dateexpires",
        }));
        Assert.That(raw["status"], Is.EqualTo(new BsonString("success")));
        Assert.That(raw["result"], Is.EqualTo(new BsonInt32(42)));
        Assert.That(raw["worker"], Is.EqualTo(new BsonObjectId(s_workerId)));
        Assert.That(raw["dateupdated"], Is.EqualTo(new BsonDateTime(_now.AddSeconds(2))));
        Assert.That(raw["totaltime"], Is.EqualTo(new BsonDouble(2.25)));
        Assert.That(raw["dateexpires"], Is.EqualTo(new BsonDateTime(_now.AddDays(7))));
        Assert.That(raw["params"]["big"], Is.EqualTo(new BsonInt64(9007199254740993L)), "an Int64 param survives the updates");
        Assert.That(raw["datequeued"], Is.EqualTo(new BsonDateTime(_now.AddSeconds(-5))));
    }

    [Test]
    public async Task CompleteAsync_NullResult_ResultFieldOmitted()
    {
        var job = JobRecord.NewQueued("tests.tasks.Noop", [], "default", _now);
        await _store.InsertAsync([job], CancellationToken.None);
        await _store.ClaimAsync(new ClaimRequest("default", 1, Worker, _now), CancellationToken.None);

        await _store.CompleteAsync(
            [new JobOutcome { Id = job.Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = _now, Result = null }],
            CancellationToken.None);

        Assert.That((await RawAsync(job.Id)).Contains("result"), Is.False);
    }

    [Test]
    public async Task CompleteAsync_RetryThenFailure_TracebackHistoryInMrqsShape()
    {
        var job = JobRecord.NewQueued("tests.tasks.Fail", [], "q", _now);
        await _store.InsertAsync([job], CancellationToken.None);
        await _store.ClaimAsync(new ClaimRequest("q", 1, Worker, _now), CancellationToken.None);

        await _store.CompleteAsync(
            [
                new JobOutcome
                {
                    Id = job.Id,
                    Worker = Worker,
                    Status = JobStatus.Retry,
                    DateUpdated = _now.AddSeconds(1),
                    DateRetry = _now.AddSeconds(61),
                    RetryCount = 1,
                    ExceptionType = "RetryInterrupt",
                    Traceback = "tb retry",
                    TracebackEntry = new TracebackEntry(_now.AddSeconds(1), JobStatus.Retry, "RetryInterrupt", "tb retry", "inner tb", Worker),
                },
            ],
            CancellationToken.None);
        var raw = await RawAsync(job.Id);

        Assert.That(raw["status"], Is.EqualTo(new BsonString("retry")));
        Assert.That(raw["retry_count"], Is.EqualTo(new BsonInt32(1)));
        Assert.That(raw["dateretry"], Is.EqualTo(new BsonDateTime(_now.AddSeconds(61))));
        Assert.That(raw["exceptiontype"], Is.EqualTo(new BsonString("RetryInterrupt")));
        Assert.That(raw["traceback"], Is.EqualTo(new BsonString("tb retry")));
        Assert.That(raw["traceback_history"], Is.EqualTo(new BsonArray
        {
            new BsonDocument
            {
                { "date", new BsonDateTime(_now.AddSeconds(1)) },
                { "status", "retry" },
                { "exceptiontype", "RetryInterrupt" },
                { "traceback", "tb retry" },
                { "original_traceback", "inner tb" },
                { "worker", s_workerId },
            },
        }));
        Assert.That(raw.Contains("dateexpires"), Is.False, "a null DateExpires unsets dateexpires");
    }

    [Test]
    public async Task GetAsync_JobWrittenByPythonMrq_MapsEveryField()
    {
        var id = ObjectId.GenerateNewId();
        await _db.RawJobs.InsertOneAsync(new BsonDocument
        {
            { "_id", id },
            { "path", "tests.tasks.general.RaiseException" },
            { "params", new BsonDocument { { "message", "xyz" }, { "when", new BsonDateTime(_now) }, { "oid", id } } },
            { "queue", "default" },
            { "status", "failed" },
            { "datequeued", new BsonDateTime(_now.AddSeconds(-3)) },
            { "datestarted", new BsonDateTime(_now.AddSeconds(-2)) },
            { "dateupdated", new BsonDateTime(_now) },
            { "dateexpires", new BsonDateTime(_now.AddDays(180)) },
            { "worker", s_workerId },
            { "retry_count", 2L },
            { "progress", 1 },
            { "totaltime", 1 },
            { "exceptiontype", "Exception" },
            { "traceback", "Traceback (most recent call last): xyz" },
            {
                "traceback_history", new BsonArray
                {
                    new BsonDocument
                    {
                        { "date", new BsonDateTime(_now) }, { "status", "failed" }, { "exceptiontype", "Exception" },
                        { "traceback", "tb" }, { "worker", s_workerId },
                    },
                }
            },
            { "time", 0.5 },
            { "switches", 3 },
            { "unknown_extra", new BsonDocument("x", 1) },
        });

        var job = (await _store.GetAsync([JobId.FromBytes(id.ToByteArray())], CancellationToken.None)).Single();

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.Path, Is.EqualTo("tests.tasks.general.RaiseException"));
        Assert.That(job.Params["message"]!.GetValue<string>(), Is.EqualTo("xyz"));
        Assert.That(job.Params["when"]!.GetValue<string>(), Is.EqualTo(_now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(job.Params["oid"]!.GetValue<string>(), Is.EqualTo(id.ToString()));
        Assert.That(job.Worker, Is.EqualTo(Worker));
        Assert.That(job.RetryCount, Is.EqualTo(2));
        Assert.That(job.Progress, Is.EqualTo(1.0));
        Assert.That(job.TotalTime, Is.EqualTo(1.0));
        Assert.That(job.DateQueued, Is.EqualTo(_now.AddSeconds(-3)));
        Assert.That(job.DateQueued.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That(job.DateStarted, Is.EqualTo(_now.AddSeconds(-2)));
        Assert.That(job.DateUpdated, Is.EqualTo(_now));
        Assert.That(job.DateExpires, Is.EqualTo(_now.AddDays(180)));
        Assert.That(job.ExceptionType, Is.EqualTo("Exception"));
        Assert.That(job.Traceback, Is.EqualTo("Traceback (most recent call last): xyz"));
        Assert.That(job.TracebackHistory, Is.EqualTo(new[] { new TracebackEntry(_now, JobStatus.Failed, "Exception", "tb", null, Worker) }));
        Assert.That(job.Result, Is.Null);
    }

    [Test]
    public async Task GetAsync_SparsePythonDocument_DefaultsMissingFields()
    {
        var id = ObjectId.GenerateNewId();
        await _db.RawJobs.InsertOneAsync(new BsonDocument { { "_id", id }, { "path", "tests.tasks.Noop" }, { "status", "queued" } });

        var job = (await _store.GetAsync([JobId.FromBytes(id.ToByteArray())], CancellationToken.None)).Single();

        Assert.That(job.Queue, Is.EqualTo("default"));
        Assert.That(job.Params, Is.Empty);
        Assert.That(job.DateQueued, Is.EqualTo(id.CreationTime), "datequeued falls back to the id's creation time");
        Assert.That(job.Worker, Is.Null);
        Assert.That(job.RetryCount, Is.Zero);
        Assert.That(job.TracebackHistory, Is.Empty);
    }
}
