using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>How the Mongo job store batches its commands, and behaviour specific to MongoDB.</summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoJobStoreBatchingTests
{
    private const string Worker = "5f0c3b2a1d4e5f6a7b8c9d0e";
    private const string OtherWorker = "5f0c3b2a1d4e5f6a7b8c9d0f";

    private readonly ConcurrentQueue<string> _commands = new();
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
                _commands.Enqueue(e.CommandName);
                _onCommandStarted?.Invoke(e);
            }));
        _store = new MongoJobStore(_db.Connection.Jobs);
        var now = DateTime.UtcNow;
        _now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private int Count(string command) => _commands.Count(c => c == command);

    /// <summary>
    /// Holds the first command named <paramref name="commandName"/> in the driver until the test sets the returned
    /// event (<paramref name="what"/> names it in the failure message); the task completes when that command is held.
    /// </summary>
    private (Task Held, ManualResetEventSlim Proceed) HoldFirstCommand(string commandName, string what)
    {
        var proceed = new ManualResetEventSlim();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        _onCommandStarted = e =>
        {
            if (e.CommandName == commandName && Interlocked.Exchange(ref count, 1) == 0)
            {
                held.SetResult();
                Assert.That(proceed.Wait(Wait.Long), Is.True, $"the test lets the {what} go on");
            }
        };
        return (held.Task, proceed);
    }

    private async Task<JobRecord[]> InsertQueuedAsync(int count, string queue = "default")
    {
        var jobs = Enumerable.Range(0, count)
            .Select(i => JobRecord.NewQueued("tests.Noop", new JsonObject { ["i"] = i }, queue, _now.AddMilliseconds(i)))
            .ToArray();
        await _store.InsertAsync(jobs, CancellationToken.None);
        return jobs;
    }

    [Test]
    public async Task ClaimAsync_EmptyQueue_OneReadAndNoWrite()
    {
        _commands.Clear();

        var claimed = await _store.ClaimAsync(new ClaimRequest("default", 50, Worker, _now), CancellationToken.None);

        Assert.That(claimed, Is.Empty);
        Assert.That(_commands, Is.EqualTo(new[] { "find" }));
    }

    [Test]
    public async Task ClaimAsync_DeepQueue_ReadIdsUpdateThemAllReadBackInQueueOrder()
    {
        var jobs = await InsertQueuedAsync(80);
        _commands.Clear();

        var claimed = await _store.ClaimAsync(new ClaimRequest("default", 75, Worker, _now), CancellationToken.None);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(jobs.Take(75).Select(j => j.Id)));
        Assert.That(_commands, Is.EqualTo(new[] { "find", "update", "find" }), "head ids, one updateMany, the read back");
        Assert.That(claimed.Select(j => j.Status), Is.All.EqualTo(JobStatus.Started));
        Assert.That(claimed.Select(j => j.Worker), Is.All.EqualTo(Worker));
        Assert.That(await _store.CountAsync(new JobFilter { Statuses = [JobStatus.Queued] }, CancellationToken.None), Is.EqualTo(5));
    }

    [TestCase(10, 100, new[] { "find", "update", "find" }, TestName = "ClaimAsync_ShallowQueue_StopsAfterReadingFewerThanAsked")]
    [TestCase(2, 8, new[] { "find", "findAndModify", "findAndModify" }, TestName = "ClaimAsync_FewJobs_OneFindAndModifyEachAfterTheRead")]
    public async Task ClaimAsync_WholeQueueFewerThanAsked_TakesItWithTheseCommands(int queued, int asked, string[] commands)
    {
        var jobs = await InsertQueuedAsync(queued);
        _commands.Clear();

        var claimed = await _store.ClaimAsync(new ClaimRequest("default", asked, Worker, _now), CancellationToken.None);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(jobs.Select(j => j.Id)));
        Assert.That(_commands, Is.EqualTo(commands), string.Join(", ", _commands));
    }

    [Test]
    public async Task ClaimAsync_OtherWorkerTakesReadIdsBeforeTheUpdate_ReadsTheHeadAgainAndNeverSharesAJob()
    {
        var jobs = await InsertQueuedAsync(12);
        var (updateHeld, proceed) = HoldFirstCommand("update", "update");
        using var release = proceed;

        // This worker reads ids 0-4, then its update waits while the other worker claims ids 0 and 1. On a pool
        // thread: the driver may run the command synchronously up to the held event, which must not block this one.
        var claiming = Task.Run(() => _store.ClaimAsync(new ClaimRequest("default", 5, Worker, _now), CancellationToken.None).AsTask());
        await updateHeld.WaitAsync(Wait.Long);
        var other = await _store.ClaimAsync(new ClaimRequest("default", 2, OtherWorker, _now), CancellationToken.None);
        proceed.Set();
        var claimed = await claiming;

        Assert.That(other.Select(j => j.Id), Is.EqualTo(jobs.Take(2).Select(j => j.Id)));
        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(jobs.Skip(2).Take(5).Select(j => j.Id)), "ids 2-4, then 5 and 6 from a second read");
        var stored = await _store.GetAsync(jobs.Take(7).Select(j => j.Id).ToArray(), CancellationToken.None);
        Assert.That(stored.Select(j => j.Worker), Is.EqualTo(new[] { OtherWorker, OtherWorker, Worker, Worker, Worker, Worker, Worker }));
    }

    [Test]
    public async Task ClaimAsync_ManyConcurrentClaimers_EveryJobClaimedOnce()
    {
        var jobs = await InsertQueuedAsync(300);
        var workers = Enumerable.Range(0, 6).Select(i => $"5f0c3b2a1d4e5f6a7b8c9d1{i}").ToArray();

        var claims = await Task.WhenAll(workers.Select(async worker =>
        {
            var mine = new List<JobRecord>();
            while (true)
            {
                var batch = await _store.ClaimAsync(new ClaimRequest("default", 16, worker, _now), CancellationToken.None);
                if (batch.Count == 0 && await _store.CountAsync(new JobFilter { Statuses = [JobStatus.Queued] }, CancellationToken.None) == 0)
                {
                    return (worker, mine);
                }

                mine.AddRange(batch);
            }
        }));

        var all = claims.SelectMany(c => c.mine.Select(j => j.Id)).ToList();
        Assert.That(all, Is.Unique);
        Assert.That(all, Is.EquivalentTo(jobs.Select(j => j.Id)));
        var stored = await _store.GetAsync(jobs.Select(j => j.Id).ToArray(), CancellationToken.None);
        var claimedBy = claims.SelectMany(c => c.mine.Select(j => (j.Id, c.worker))).ToDictionary(x => x.Id, x => x.worker);
        Assert.That(stored.All(j => j.Status == JobStatus.Started && j.Worker == claimedBy[j.Id]), Is.True, "each job is stored started by the worker that got it");
    }

    [Test]
    public async Task ClaimAsync_AlreadyCancelled_ThrowsAndClaimsNothing()
    {
        await InsertQueuedAsync(3);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.CatchAsync<OperationCanceledException>(async () =>
            await _store.ClaimAsync(new ClaimRequest("default", 3, Worker, _now), cancelled.Token));

        Assert.That(await _store.CountAsync(new JobFilter { Statuses = [JobStatus.Queued] }, CancellationToken.None), Is.EqualTo(3));
    }

    [Test]
    public async Task CompleteAsync_AllApplied_OneBulkUpdateAndNoReadBack()
    {
        await InsertQueuedAsync(20);
        var claimed = await _store.ClaimAsync(new ClaimRequest("default", 20, Worker, _now), CancellationToken.None);
        _commands.Clear();

        var applied = await _store.CompleteAsync(
            claimed.Select(j => new JobOutcome { Id = j.Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = _now }).ToArray(),
            CancellationToken.None);

        Assert.That(applied, Has.Count.EqualTo(20).And.All.True);
        Assert.That(Count("update"), Is.EqualTo(1));
        Assert.That(Count("find"), Is.Zero);
    }

    [Test]
    public async Task CompleteAsync_SomeLost_ReadsBackToTellWhich()
    {
        await InsertQueuedAsync(4);
        var claimed = await _store.ClaimAsync(new ClaimRequest("default", 4, Worker, _now), CancellationToken.None);
        await _store.ApplyActionAsync(new JobAction(JobActionKind.Cancel, new JobFilter { Ids = [claimed[1].Id, claimed[3].Id] }, _now), CancellationToken.None);
        _commands.Clear();

        var applied = await _store.CompleteAsync(
            claimed.Select(j => new JobOutcome { Id = j.Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = _now }).ToArray(),
            CancellationToken.None);

        Assert.That(applied, Is.EqualTo(new[] { true, false, true, false }));
        Assert.That(Count("update"), Is.EqualTo(1));
        Assert.That(Count("find"), Is.EqualTo(1));
    }

    [Test]
    public async Task CompleteAsync_SomeLostAndAppliedJobsMovedBeforeTheReadBack_StillReportedApplied()
    {
        var jobs = await InsertQueuedAsync(3);
        var claimed = await _store.ClaimAsync(new ClaimRequest("default", 3, Worker, _now), CancellationToken.None);
        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(jobs.Select(j => j.Id)));
        await _store.ApplyActionAsync(new JobAction(JobActionKind.Cancel, new JobFilter { Ids = [jobs[1].Id] }, _now), CancellationToken.None);
        var retryEntry = new TracebackEntry(_now, JobStatus.Queued, "RetryInterrupt", "tb", null, Worker);
        JobOutcome[] outcomes =
        [
            new() { Id = jobs[0].Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = _now, TotalTime = 0.0123456, Result = 42 },
            new() { Id = jobs[1].Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = _now, TotalTime = 0.0234567 },
            new()
            {
                Id = jobs[2].Id, Worker = Worker, Status = JobStatus.Queued, DateUpdated = _now, TotalTime = 0.0345678, DateQueued = _now,
                Queue = "retried", RetryCount = 1, ExceptionType = "RetryInterrupt", Traceback = "tb", TracebackEntry = retryEntry,
            },
        ];

        // The bulk is short (job 1 was cancelled), so the store reads the jobs back; before that read, job 0 is
        // requeued by a job action and job 2 (requeued by its outcome) is claimed by another worker.
        var (readBack, proceed) = HoldFirstCommand("find", "read-back");
        using var release = proceed;
        var completing = Task.Run(() => _store.CompleteAsync(outcomes, CancellationToken.None).AsTask());
        await readBack.WaitAsync(Wait.Long);
        await _store.ApplyActionAsync(new JobAction(JobActionKind.Requeue, new JobFilter { Ids = [jobs[0].Id] }, _now.AddSeconds(1)), CancellationToken.None);
        var reclaimed = await _store.ClaimAsync(new ClaimRequest("retried", 1, OtherWorker, _now.AddSeconds(1)), CancellationToken.None);
        proceed.Set();

        var applied = await completing;

        Assert.That(reclaimed.Select(j => j.Id), Is.EqualTo(new[] { jobs[2].Id }));
        Assert.That(applied, Is.EqualTo(new[] { true, false, true }));
    }

    [Test]
    public async Task CompleteAsync_InsertIfMissingButStoredWithOtherStatus_NotAppliedAndUnchanged()
    {
        var job = (await InsertQueuedAsync(1))[0];
        var record = JobRecord.NewQueued(job.Path, job.Params, job.Queue, job.DateQueued);
        var outcome = new JobOutcome
        {
            Id = job.Id,
            Worker = Worker,
            Status = JobStatus.Success,
            DateUpdated = _now,
            InsertIfMissing = new JobRecord
            {
                Id = job.Id, Path = record.Path, Params = record.Params, Queue = record.Queue, Status = JobStatus.Started,
                DateQueued = record.DateQueued, Worker = Worker,
            },
        };

        var applied = await _store.CompleteAsync([outcome], CancellationToken.None);

        Assert.That(applied, Is.EqualTo(new[] { false }));
        var stored = (await _store.GetAsync([job.Id], CancellationToken.None)).Single();
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(await _store.CountAsync(JobFilter.All, CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task ApplyActionAsync_MoreThanOneBatch_UpdatesByBatchesOf1000()
    {
        await InsertQueuedAsync(MongoJobStore.ActionBatchSize + 1);
        _commands.Clear();

        var cancelled = await _store.ApplyActionAsync(
            new JobAction(JobActionKind.Cancel, JobFilter.All, _now, ExpiresAt: _now.AddDays(1)), CancellationToken.None);

        Assert.That(cancelled, Is.EqualTo(MongoJobStore.ActionBatchSize + 1));
        Assert.That(Count("update"), Is.EqualTo(2));
        Assert.That(await _store.CountAsync(new JobFilter { Statuses = [JobStatus.Cancel] }, CancellationToken.None), Is.EqualTo(1001));
    }

    [Test]
    public async Task ApplyActionAsync_QueuePrefixWithRegexCharacters_EscapedNotInterpreted()
    {
        await InsertQueuedAsync(1, "a.b/c");
        await InsertQueuedAsync(1, "a.b");
        await InsertQueuedAsync(1, "axb/c");

        var cancelled = await _store.ApplyActionAsync(new JobAction(JobActionKind.Cancel, new JobFilter { Queue = "a.b/" }, _now), CancellationToken.None);

        Assert.That(cancelled, Is.EqualTo(2));
        Assert.That(await _store.CountAsync(new JobFilter { Queue = "axb/c", Statuses = [JobStatus.Queued] }, CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task InsertAsync_SameIdAgain_CountsAsWrittenWithoutDuplicate()
    {
        var job = (await InsertQueuedAsync(1))[0];

        // F2: a retried insert keeps its ids, so a duplicate key on _id means "already written".
        await _store.InsertAsync([job], CancellationToken.None);
        Assert.That(await _store.CountAsync(JobFilter.All, CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task TtlIndex_ExpiredJob_DeletedByTheServer()
    {
        _db.IgnoreOnEmulator("has no TTL monitor, so documents never expire by themselves");
        var job = JobRecord.NewQueued("tests.Noop", [], "default", _now);
        job.Status = JobStatus.Success;
        job.DateExpires = _now.AddMinutes(-1);
        await _store.InsertAsync([job], CancellationToken.None);

        // MongoDB's TTL monitor runs every 60 s.
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (await _store.CountAsync(JobFilter.All, CancellationToken.None) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
        }

        Assert.That(await _store.CountAsync(JobFilter.All, CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task CompleteAsync_ConcurrentInsertIfMissingOfOneJob_AppliedOnce()
    {
        var record = JobRecord.NewQueued("tests.Noop", [], "retry_queue", _now);
        record.Status = JobStatus.Started;
        record.Worker = Worker;
        var outcome = new JobOutcome { Id = record.Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = _now, InsertIfMissing = record };

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _store.CompleteAsync([outcome], CancellationToken.None).AsTask()));

        Assert.That(results.Count(r => r[0]), Is.EqualTo(1));
        Assert.That(await _store.CountAsync(JobFilter.All, CancellationToken.None), Is.EqualTo(1));
    }
}
