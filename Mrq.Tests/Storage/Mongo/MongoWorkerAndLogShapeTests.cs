using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>The <c>mrq_workers</c> and <c>mrq_logs</c> documents, read raw (reference §2.3, §1.9).</summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoWorkerAndLogShapeTests
{
    private const string WorkerHex = "5f0c3b2a1d4e5f6a7b8c9d0e";
    private static readonly DateTime s_t0 = new(2031, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    private MongoTestDatabase _db = null!;

    [SetUp]
    public async Task SetUpAsync() => _db = await MongoTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private static WorkerReport Report(string status, long done) => new()
    {
        Id = WorkerHex,
        Name = "host.42",
        Status = status,
        Config = new WorkerReportConfig(["high", "default"], 5, 10, 0, "sequential", "host.42", "10.0.0.5"),
        DoneJobs = done,
        DateStarted = s_t0,
        DateReported = s_t0.AddSeconds(10),
        Process = new WorkerProcessInfo(4242, 1.25, 0.5, 50_000_000),
        Jobs = [new RunningJobReport("0123456789abcdef01234567", "tests.tasks.Sleep", s_t0.AddSeconds(3), 7.5)],
    };

    [Test]
    public async Task ReportAsync_Twice_OneDocumentInMrqsShape()
    {
        var store = new MongoWorkerStore(_db.Connection.Workers);

        await store.ReportAsync(Report("init", 0), CancellationToken.None);
        await store.ReportAsync(Report("wait", 3), CancellationToken.None);
        var docs = await _db.RawWorkers.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync();

        Assert.That(docs, Has.Count.EqualTo(1));
        var raw = docs[0];
        Assert.That(raw["_id"], Is.EqualTo(new BsonObjectId(ObjectId.Parse(WorkerHex))));
        Assert.That(raw["status"], Is.EqualTo(new BsonString("wait")));
        Assert.That(raw["name"], Is.EqualTo(new BsonString("host.42")));
        Assert.That(raw["done_jobs"].ToInt64(), Is.EqualTo(3));
        Assert.That(raw["datestarted"], Is.EqualTo(new BsonDateTime(s_t0)));
        // Stamped by the server ($currentDate), a BSON date as MRQ writes it.
        Assert.That(raw["datereported"].BsonType, Is.EqualTo(BsonType.DateTime));
        Assert.That(raw["datereported"].ToUniversalTime(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
        var config = raw["config"].AsBsonDocument;
        Assert.That(config["queues"], Is.EqualTo(new BsonArray { "high", "default" }));
        Assert.That(config["max_jobs"].ToInt32(), Is.EqualTo(10));
        Assert.That(config["processes"].ToInt32(), Is.Zero);
        Assert.That(config["greenlets"].ToInt32(), Is.EqualTo(5));
        Assert.That(config["dequeue_strategy"], Is.EqualTo(new BsonString("sequential")));
        Assert.That(config["name"], Is.EqualTo(new BsonString("host.42")));
        Assert.That(config["local_ip"], Is.EqualTo(new BsonString("10.0.0.5")));
        var process = raw["process"].AsBsonDocument;
        Assert.That(process["pid"].ToInt32(), Is.EqualTo(4242));
        Assert.That(process["cpu"]["user"].ToDouble(), Is.EqualTo(1.25));
        Assert.That(process["cpu"]["system"].ToDouble(), Is.EqualTo(0.5));
        Assert.That(process["mem"]["rss"].ToInt64(), Is.EqualTo(50_000_000));
        Assert.That(process["mem"]["total"].ToInt64(), Is.EqualTo(50_000_000), "MRQ's dashboard Workers page reads mem.total");
        Assert.That(process["cpu"]["percent"].IsNumeric, Is.True);
        Assert.That(raw["usage_avg"].IsNumeric, Is.True);
        Assert.That(raw["io"].AsBsonDocument.Names, Is.EqualTo(new[] { "types", "tasks", "total" }));
        Assert.That(config.Names, Is.SupersetOf(new[] { "scheduler", "agent_id", "worker_group", "external_ip" }));
        var job = raw["jobs"].AsBsonArray.Single().AsBsonDocument;
        Assert.That(job.Names, Is.EqualTo(new[] { "id", "path", "datestarted", "time", "switches", "stack" }));
        Assert.That(job["id"], Is.EqualTo(new BsonString("0123456789abcdef01234567")));
        Assert.That(job["datestarted"], Is.EqualTo(new BsonDateTime(s_t0.AddSeconds(3))));
        Assert.That(job["time"].ToDouble(), Is.EqualTo(7.5));
    }

    [Test]
    public async Task ListAsync_ReportWrittenByPythonMrq_Mapped()
    {
        await _db.RawWorkers.InsertOneAsync(new BsonDocument
        {
            { "_id", ObjectId.Parse(WorkerHex) },
            { "status", "full" },
            {
                "config", new BsonDocument
                {
                    { "max_jobs", 0 }, { "processes", 2 }, { "queues", new BsonArray { "default" } }, { "dequeue_strategy", "parallel" },
                    { "scheduler", false }, { "name", "py.1" }, { "local_ip", "10.1.1.1" }, { "external_ip", BsonNull.Value },
                }
            },
            { "done_jobs", 12L },
            { "usage_avg", 0.3 },
            { "datestarted", new BsonDateTime(s_t0) },
            { "datereported", new BsonDateTime(s_t0.AddSeconds(5)) },
            { "name", "py.1" },
            { "io", new BsonDocument("total", 1.5) },
            {
                "process", new BsonDocument
                {
                    { "pid", 77 }, { "cpu", new BsonDocument { { "user", 3 }, { "system", 0.25 }, { "percent", 5 } } },
                    { "mem", new BsonDocument { { "rss", 123456 }, { "swap", 0 }, { "total", 999 } } },
                }
            },
            {
                "jobs", new BsonArray
                {
                    new BsonDocument
                    {
                        { "id", "0123456789abcdef01234567" }, { "path", "p" }, { "datestarted", new BsonDateTime(s_t0) },
                        { "time", 2 }, { "switches", 9 }, { "stack", new BsonArray() },
                    },
                }
            },
        });

        var report = (await new MongoWorkerStore(_db.Connection.Workers).ListAsync(CancellationToken.None)).Single();

        Assert.That(report.Id, Is.EqualTo(WorkerHex));
        Assert.That(report.Status, Is.EqualTo("full"));
        Assert.That(report.Config.Queues, Is.EqualTo(new[] { "default" }));
        Assert.That(report.Config.Processes, Is.EqualTo(2));
        Assert.That(report.Config.Greenlets, Is.Zero, "MRQ's report drops greenlets (missing comma in mrq/worker.py)");
        Assert.That(report.Config.DequeueStrategy, Is.EqualTo("parallel"));
        Assert.That(report.DoneJobs, Is.EqualTo(12));
        Assert.That(report.Process, Is.EqualTo(new WorkerProcessInfo(77, 3, 0.25, 123456) { CpuPercent = 5 }));
        Assert.That(report.UsageAvg, Is.EqualTo(0.3));
        Assert.That(report.Jobs, Is.EqualTo(new[] { new RunningJobReport("0123456789abcdef01234567", "p", s_t0, 2) { Switches = 9 } }));
    }

    [Test]
    public async Task AppendAsync_JobAndWorkerBatches_MrqsLogDocuments()
    {
        var store = new MongoJobLogStore(_db.Connection.Logs);
        var job = JobId.Parse("0123456789abcdef01234567");

        await store.AppendAsync([new LogBatch(job, WorkerHex, "l1\nl2"), new LogBatch(null, WorkerHex, "worker line")], CancellationToken.None);
        var docs = await _db.RawLogs.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("_id", 1)).ToListAsync();

        Assert.That(docs, Has.Count.EqualTo(2));
        Assert.That(docs[0].Names, Is.EqualTo(new[] { "_id", "job", "logs" }));
        Assert.That(docs[0]["job"], Is.EqualTo(new BsonObjectId(ObjectId.Parse("0123456789abcdef01234567"))));
        Assert.That(docs[0]["logs"], Is.EqualTo(new BsonString("l1\nl2\n")), "MRQ ends each batch with a newline");
        Assert.That(docs[1].Names, Is.EqualTo(new[] { "_id", "worker", "logs" }));
        Assert.That(docs[1]["worker"], Is.EqualTo(new BsonObjectId(ObjectId.Parse(WorkerHex))));
        Assert.That(docs[1]["logs"], Is.EqualTo(new BsonString("worker line\n")));
    }

    [Test]
    public async Task GetJobLogsAsync_LinesWrittenByPythonMrq_Joined()
    {
        var job = JobId.Parse("0123456789abcdef01234567");
        var oid = ObjectId.Parse(job.ToString());
        await _db.RawLogs.InsertManyAsync(
        [
            new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "job", oid }, { "logs", "2031-01-02 [INFO] a\n2031-01-02 [INFO] b\n" } },
            new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "job", oid }, { "logs", "2031-01-02 [INFO] c\n" } },
        ]);

        var logs = await new MongoJobLogStore(_db.Connection.Logs).GetJobLogsAsync(job, CancellationToken.None);

        Assert.That(logs, Is.EqualTo("2031-01-02 [INFO] a\n2031-01-02 [INFO] b\n2031-01-02 [INFO] c"));
    }

    [Test]
    public void AppendAsync_BatchWithoutJobOrWorker_Throws()
    {
        var store = new MongoJobLogStore(_db.Connection.Logs);

        Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync([new LogBatch(null, null, "x")], CancellationToken.None));
    }
}
