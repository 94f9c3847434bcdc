using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Tests.Process;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;
using StackExchange.Redis;

namespace Mrq.Tests.Distributed;

/// <summary>
/// MRQ compatibility end to end (issue 3 item 5), through a real <c>mrq worker</c> process: jobs written the way
/// Python MRQ writes them (raw driver and Redis commands, not our API) run on our worker, and what our worker writes
/// reads the way Python MRQ reads it. The storage-level shapes are covered by MongoJobDocumentShapeTests and
/// RedisKeyLayoutTests; these tests add the worker in between. One worker serves the fixture.
/// </summary>
[TestFixture]
[Category("distributed")]
public sealed class MrqCompatibilityEndToEndTests
{
    private DistributedCluster _cluster = null!;
    private MrqCliProcess _worker = null!;

    private IDatabase Redis => _cluster.SharedRedis!.Raw;

    [OneTimeSetUp]
    public async Task StartWorkerAsync()
    {
        _cluster = await DistributedCluster.CreateAsync();
        _worker = _cluster.StartWorker("--greenlets", "2", _cluster.Queue, DistributedTestQueues.RawQueue);
        await DistributedCluster.WaitUntilStartedAsync(_worker);
    }

    [OneTimeTearDown]
    public async Task StopWorkerAsync()
    {
        // Null when the set-up was ignored (no server).
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private Task<BsonDocument?> FindRawAsync(ObjectId id, ProjectionDefinition<BsonDocument>? projection = null) =>
        _cluster.RawJobs.Find(new BsonDocument("_id", id)).Project(projection ?? new BsonDocument()).FirstOrDefaultAsync()!;

    private async Task<BsonDocument> WaitForRawStatusAsync(ObjectId id, string status)
    {
        BsonDocument? document = null;
        await _cluster.WaitAsync(async () => (document = await FindRawAsync(id))?["status"] == status, $"job {id} is {status} in mrq_jobs");
        return document!;
    }

    [Test]
    public async Task Worker_JobInsertedLikePythonQueueJob_RunsAndEndsWithMrqsFields()
    {
        // mrq/job.py queue_jobs: insert {path, params, queue, datequeued, status}; mrq/queue_regular.py: INCR the
        // unprefixed queuesize:<queue> counter, then notify: LPUSH <prefix>:notify:<queue> "1" + EXPIRE.
        var id = ObjectId.GenerateNewId();
        var queued = DateTime.UtcNow;
        await _cluster.RawJobs.InsertOneAsync(new BsonDocument
        {
            { "_id", id },
            { "path", AddTask.Path },
            { "params", new BsonDocument { { "a", 41 }, { "b", 1 } } },
            { "queue", _cluster.Queue },
            { "datequeued", new BsonDateTime(queued) },
            { "status", "queued" },
        });
        await Redis.StringIncrementAsync("queuesize:" + _cluster.Queue);
        await Redis.ListLeftPushAsync($"{_cluster.Prefix}:notify:{_cluster.Queue}", "1");
        await Redis.KeyExpireAsync($"{_cluster.Prefix}:notify:{_cluster.Queue}", TimeSpan.FromSeconds(1));

        var done = await WaitForRawStatusAsync(id, "success");

        Assert.That(done.Names, Is.SupersetOf(new[] { "status", "datestarted", "worker", "dateupdated", "dateexpires", "totaltime", "result" }), done.ToString());
        Assert.That(done["path"], Is.EqualTo(new BsonString(AddTask.Path)));
        Assert.That(done["params"], Is.EqualTo(new BsonDocument { { "a", 41 }, { "b", 1 } }), "params are left as Python wrote them");
        Assert.That(done["queue"], Is.EqualTo(new BsonString(_cluster.Queue)));
        Assert.That(done["datequeued"].ToUniversalTime(), Is.EqualTo(queued).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(done["result"].IsNumeric && done["result"].ToInt64() == 42, Is.True, $"result 42, got {done["result"]}");
        Assert.That(done["datestarted"].BsonType, Is.EqualTo(BsonType.DateTime));
        Assert.That(done["dateupdated"].BsonType, Is.EqualTo(BsonType.DateTime));
        Assert.That(done["dateexpires"].BsonType, Is.EqualTo(BsonType.DateTime));
        Assert.That(done["datestarted"].ToUniversalTime(), Is.LessThanOrEqualTo(done["dateupdated"].ToUniversalTime()));
        Assert.That(done["dateexpires"].ToUniversalTime(), Is.GreaterThan(done["dateupdated"].ToUniversalTime()));
        Assert.That(done["totaltime"].IsNumeric && done["totaltime"].ToDouble() >= 0, Is.True, $"totaltime in seconds, got {done["totaltime"]}");
        Assert.That(done["worker"].BsonType, Is.EqualTo(BsonType.ObjectId), "MRQ stores the worker id as an ObjectId");
        var report = await _cluster.RawWorkers.Find(new BsonDocument("_id", done["worker"])).FirstOrDefaultAsync();
        Assert.That(report, Is.Not.Null, "the worker id is the _id of the worker's mrq_workers report");
        Assert.That(report!["process"]["pid"].ToInt32(), Is.EqualTo(_worker.Id), report.ToString());
        await _cluster.WaitAsync(async () => await Redis.StringGetAsync("queuesize:" + _cluster.Queue) == 0, "the queuesize counter is back to 0");
    }

    [Test]
    public async Task GetJobResult_JobQueuedAndRunByUs_ReadsLikePythonGetJobResult()
    {
        var id = await _cluster.Host.Client.QueueJobAsync(AddTask.Path, new JsonObject { ["a"] = 2, ["b"] = 3 }, _cluster.Queue);
        var objectId = new ObjectId(id.ToByteArray());
        await WaitForRawStatusAsync(objectId, "success");

        // mrq/job.py get_job_result: Job(id).fetch(full_data={"result": 1, "status": 1}) → {"status", "result"}.
        var read = await FindRawAsync(objectId, new BsonDocument { { "result", 1 }, { "status", 1 } });

        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Names, Is.EquivalentTo(new[] { "_id", "result", "status" }));
        Assert.That(read["_id"], Is.EqualTo(new BsonObjectId(objectId)));
        Assert.That(read["status"], Is.EqualTo(new BsonString("success")));
        Assert.That(read["result"].IsNumeric && read["result"].ToInt64() == 5, Is.True, $"result 5, got {read["result"]}");
    }

    [Test]
    public async Task Worker_RawMemberPushedWithRpush_Runs()
    {
        // mrq/queue_raw.py enqueue_raw_jobs for a _raw queue: RPUSH <prefix>:q:<queue> member… (+ notify).
        var member = _cluster.RecordParams("pushed-by-python").ToJsonString();
        await Redis.ListRightPushAsync($"{_cluster.Prefix}:q:{DistributedTestQueues.RawQueue}", member);

        var executions = await _cluster.WaitForExecutionsAsync(e => e.Any(x => x.Tag == "pushed-by-python"), "the raw member runs");
        var jobId = ObjectId.Parse(executions.Single(x => x.Tag == "pushed-by-python").JobId);
        var done = await WaitForRawStatusAsync(jobId, "success");

        Assert.That(done["path"], Is.EqualTo(new BsonString(RecordTask.Path)));
        Assert.That(done["raw_queue"], Is.EqualTo(new BsonString(DistributedTestQueues.RawQueue)));
        Assert.That(done["queue"], Is.EqualTo(new BsonString(DistributedTestQueues.RawJobsQueue)), "raw jobs belong to the retry_queue");
        Assert.That(done["params"]["tag"], Is.EqualTo(new BsonString("pushed-by-python")));
        Assert.That(done["result"].ToInt32(), Is.EqualTo(_worker.Id));
        Assert.That(await Redis.ListLengthAsync($"{_cluster.Prefix}:q:{DistributedTestQueues.RawQueue}"), Is.Zero);
        Assert.That(executions.Count(x => x.Tag == "pushed-by-python"), Is.EqualTo(1));
        Assert.That(executions.Single(x => x.Tag == "pushed-by-python").Pid, Is.EqualTo(_worker.Id));
    }
}
