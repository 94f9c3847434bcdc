using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>
/// R2 and S4 on MongoDB: job actions page by <c>_id</c> and re-check the action's own predicates (not only the
/// status) in the compare-and-set of every page, so a job moved between the read and the write is left alone.
/// </summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoJobActionTests
{
    private const string DeadWorker = "5f0c3b2a1d4e5f6a7b8c9d01";
    private const string LiveWorker = "5f0c3b2a1d4e5f6a7b8c9d02";

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

    private async Task<JobRecord[]> InsertStartedAsync(int count, string worker, DateTime started)
    {
        var jobs = Enumerable.Range(0, count)
            .Select(i => JobRecord.NewQueued("tests.Noop", new JsonObject { ["i"] = i }, "actions", _now.AddMilliseconds(i)))
            .ToArray();
        await _store.InsertAsync(jobs, CancellationToken.None);
        var claimed = await _store.ClaimAsync(new ClaimRequest("actions", count, worker, started), CancellationToken.None);
        Assert.That(claimed, Has.Count.EqualTo(count));
        return [.. claimed];
    }

    /// <summary>Between the read and the write, another requeuer and a live worker's claim move the job.</summary>
    private void MoveBetweenReadAndWrite(JobId id, string worker, DateTime started)
    {
        var moved = false;
        _store.AfterActionPageRead = async cancellationToken =>
        {
            if (moved)
            {
                return;
            }

            moved = true;
            await _db.Connection.Jobs.UpdateOneAsync(
                Builders<BsonDocument>.Filter.Eq("_id", ObjectId.Parse(id.ToString())),
                Builders<BsonDocument>.Update.Set("worker", ObjectId.Parse(worker)).Set("datestarted", started),
                cancellationToken: cancellationToken);
        };
    }

    [Test]
    public async Task RequeueLost_JobClaimedByLiveWorkerBetweenReadAndWrite_LeftRunning()
    {
        var jobs = await InsertStartedAsync(2, DeadWorker, _now);
        MoveBetweenReadAndWrite(jobs[0].Id, LiveWorker, _now.AddSeconds(5));

        var changed = await _store.ApplyActionAsync(
            new JobAction(JobActionKind.RequeueLost, new JobFilter { Statuses = [JobStatus.Started], WorkerNotIn = [LiveWorker] }, _now.AddSeconds(6)),
            CancellationToken.None);
        var stored = await _store.GetAsync([jobs[0].Id, jobs[1].Id], CancellationToken.None);

        Assert.That(changed, Is.EqualTo(1));
        Assert.That(stored[0].Status, Is.EqualTo(JobStatus.Started), "claimed by a live worker meanwhile: still running");
        Assert.That(stored[0].Worker, Is.EqualTo(LiveWorker));
        Assert.That(stored[1].Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task RequeueByStartDate_JobRestartedBetweenReadAndWrite_LeftRunning()
    {
        var jobs = await InsertStartedAsync(2, DeadWorker, _now.AddHours(-2));
        MoveBetweenReadAndWrite(jobs[0].Id, DeadWorker, _now);

        var changed = await _store.ApplyActionAsync(
            new JobAction(JobActionKind.RequeueLost, new JobFilter { Statuses = [JobStatus.Started], DateStartedBefore = _now.AddHours(-1) }, _now),
            CancellationToken.None);

        Assert.That(changed, Is.EqualTo(1));
        Assert.That((await _store.GetAsync([jobs[0].Id], CancellationToken.None))[0].Status, Is.EqualTo(JobStatus.Started));
    }

    [Test]
    public async Task Action_OverSeveralPages_ReadsAndUpdatesOnePageAtATime()
    {
        var total = MongoJobStore.ActionBatchSize * 2 + 100;
        var jobs = Enumerable.Range(0, total)
            .Select(i => JobRecord.NewQueued("tests.Noop", new JsonObject { ["i"] = i }, "pages", _now))
            .ToArray();
        await _store.InsertAsync(jobs, CancellationToken.None);
        var pages = 0;
        long cancelledBeforePage = -1;
        _store.AfterActionPageRead = async cancellationToken =>
        {
            pages++;
            if (pages == 2)
            {
                // The first page is already written when the second is read.
                cancelledBeforePage = await _db.Connection.Jobs.CountDocumentsAsync(
                    Builders<BsonDocument>.Filter.Eq("status", "cancel"), cancellationToken: cancellationToken);
            }
        };

        var changed = await _store.ApplyActionAsync(
            new JobAction(JobActionKind.Cancel, new JobFilter { Queue = "pages" }, _now), CancellationToken.None);

        Assert.That(changed, Is.EqualTo(total));
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(cancelledBeforePage, Is.EqualTo(MongoJobStore.ActionBatchSize));
        Assert.That(await _db.Connection.Jobs.CountDocumentsAsync(Builders<BsonDocument>.Filter.Eq("status", "cancel")), Is.EqualTo(total));
    }

    [Test]
    public async Task Complete_ResultOverSixteenMegabytes_PermanentStorageError()
    {
        var jobs = await InsertStartedAsync(1, DeadWorker, _now);
        var outcome = new JobOutcome
        {
            Id = jobs[0].Id,
            Worker = DeadWorker,
            DateStarted = jobs[0].DateStarted,
            Status = JobStatus.Success,
            DateUpdated = _now,
            Result = JsonValue.Create(new string('x', 17 * 1024 * 1024)),
        };

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await _store.CompleteAsync([outcome], CancellationToken.None));

        Assert.That(error!.IsPermanent, Is.True, error.ToString());
        Assert.That((await _store.GetAsync([jobs[0].Id], CancellationToken.None))[0].Status, Is.EqualTo(JobStatus.Started));
    }
}
