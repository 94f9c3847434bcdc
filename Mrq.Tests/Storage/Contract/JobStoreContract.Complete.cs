using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

public abstract partial class JobStoreContract
{
    private JobOutcome Outcome(JobRecord job, JobStatus status, string worker = WorkerA) => new()
    {
        Id = job.Id,
        Worker = worker,
        Status = status,
        DateUpdated = ClaimTime.AddSeconds(1),
    };

    [Test]
    public async Task CompleteAsync_StartedByWorker_AppliesSuccessFields()
    {
        var job = await InsertStartedAsync();
        var outcome = Outcome(job, JobStatus.Success) with
        {
            Result = JsonNode.Parse("""{"answer": 42, "list": [1.5, "x", null]}"""),
            TotalTime = 1.234,
            DateExpires = T0.AddDays(7),
            Progress = 1,
        };

        var applied = await Part.CompleteAsync([outcome], Ct);
        var stored = await GetJobAsync(job.Id);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Success));
        AssertSameJson(stored.Result, outcome.Result);
        Assert.That(stored.TotalTime, Is.EqualTo(1.234));
        AssertUtc(stored.DateExpires, T0.AddDays(7), "dateexpires");
        AssertUtc(stored.DateUpdated, outcome.DateUpdated, "dateupdated");
        Assert.That(stored.Progress, Is.EqualTo(1));
        Assert.That(stored.Worker, Is.EqualTo(WorkerA));
        AssertUtc(stored.DateStarted, ClaimTime, "datestarted");
        Assert.That(stored.Queue, Is.EqualTo(job.Queue));
        Assert.That(stored.RetryCount, Is.Zero);
        Assert.That(stored.TracebackHistory, Is.Empty);
    }

    [TestCase("\"text\"")]
    [TestCase("7")]
    [TestCase("9007199254740993")]
    [TestCase("-0.125")]
    [TestCase("true")]
    [TestCase("[1, [2, {\"a\": null}]]")]
    [TestCase("{\"k\": {\"v\": [false]}}")]
    [TestCase("null")]
    public async Task CompleteAsync_ResultOfEachJsonKind_Stored(string json)
    {
        var job = await InsertStartedAsync();
        var result = JsonNode.Parse(json);

        await Part.CompleteAsync([Outcome(job, JobStatus.Success) with { Result = result }], Ct);

        AssertSameJson((await GetJobAsync(job.Id)).Result, result);
    }

    [Test]
    public async Task CompleteAsync_CancelledMeanwhile_SkippedAndStatusKept()
    {
        var job = await InsertStartedAsync();
        var cancelled = await Part.ApplyActionAsync(
            new JobAction(JobActionKind.Cancel, new JobFilter { Ids = [job.Id] }, ClaimTime), Ct);

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Success) with { Result = JsonValue.Create(1) }], Ct);
        var stored = await GetJobAsync(job.Id);

        Assert.That(cancelled, Is.EqualTo(1));
        Assert.That(applied, Is.EqualTo(new[] { false }));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Cancel));
        Assert.That(stored.Result, Is.Null);
    }

    [Test]
    public async Task CompleteAsync_ClaimedByOtherWorker_Skipped()
    {
        var job = await InsertStartedAsync(WorkerB);

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Failed, WorkerA)], Ct);
        var stored = await GetJobAsync(job.Id);

        Assert.That(applied, Is.EqualTo(new[] { false }));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Started));
        Assert.That(stored.Worker, Is.EqualTo(WorkerB));
    }

    [Test]
    public async Task CompleteAsync_RequeuedAndReclaimedMeanwhile_SkippedForOldWorker()
    {
        var job = await InsertStartedAsync(WorkerA, "requeued");
        await Part.ApplyActionAsync(new JobAction(JobActionKind.Requeue, new JobFilter { Ids = [job.Id] }, ClaimTime), Ct);
        var reclaimed = await Part.ClaimAsync(Claim("requeued", 1, WorkerB), Ct);

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Success, WorkerA)], Ct);

        Assert.That(reclaimed, Has.Count.EqualTo(1));
        Assert.That(applied, Is.EqualTo(new[] { false }));
        Assert.That((await GetJobAsync(job.Id)).Status, Is.EqualTo(JobStatus.Started));
    }

    [Test]
    public async Task CompleteAsync_MixedBatch_ReturnsOutcomePerJobInOrder()
    {
        var first = await InsertStartedAsync();
        var notStarted = await InsertJobAsync(NewJob("idle"));
        var other = await InsertStartedAsync(WorkerB);
        var last = await InsertStartedAsync();
        var missing = NewJob();

        var applied = await Part.CompleteAsync(
            [
                Outcome(first, JobStatus.Success),
                Outcome(notStarted, JobStatus.Success),
                Outcome(other, JobStatus.Success),
                Outcome(missing, JobStatus.Success),
                Outcome(last, JobStatus.Failed),
            ],
            Ct);

        Assert.That(applied, Is.EqualTo(new[] { true, false, false, false, true }));
        Assert.That((await GetJobAsync(first.Id)).Status, Is.EqualTo(JobStatus.Success));
        Assert.That((await GetJobAsync(notStarted.Id)).Status, Is.EqualTo(JobStatus.Queued));
        Assert.That((await GetJobAsync(last.Id)).Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(await Part.GetAsync([missing.Id], Ct), Is.Empty);
    }

    [Test]
    public async Task CompleteAsync_SameJobTwice_SecondSkipped()
    {
        var job = await InsertStartedAsync();

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Success), Outcome(job, JobStatus.Failed)], Ct);

        Assert.That(applied, Is.EqualTo(new[] { true, false }));
        Assert.That((await GetJobAsync(job.Id)).Status, Is.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task CompleteAsync_StatusNotReachableFromStarted_Skipped()
    {
        var job = await InsertStartedAsync();

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Started), Outcome(job, JobStatus.Cancel)], Ct);

        Assert.That(applied[0], Is.False);
        Assert.That(applied[1], Is.EqualTo(JobStateMachine.CanTransition(JobStatus.Started, JobStatus.Cancel)));
        Assert.That((await GetJobAsync(job.Id)).Status, Is.EqualTo(applied[1] ? JobStatus.Cancel : JobStatus.Started));
    }

    [Test]
    public async Task CompleteAsync_ManyJobsInOneBatch_AllApplied()
    {
        var jobs = await InsertJobsAsync(Enumerable.Range(0, 150).Select(_ => NewJob("many")).ToArray());
        var claimed = await Part.ClaimAsync(Claim("many", 150), Ct);

        var applied = await Part.CompleteAsync(claimed.Select(j => Outcome(j, JobStatus.Success) with { Result = JsonValue.Create(j.Id.ToString()) }).ToArray(), Ct);

        Assert.That(applied, Has.Count.EqualTo(150).And.All.True);
        var stored = await Part.GetAsync(jobs.Select(j => j.Id).ToArray(), Ct);
        Assert.That(stored.All(j => j.Status == JobStatus.Success && j.Result!.GetValue<string>() == j.Id.ToString()), Is.True);
    }

    [Test]
    public async Task CompleteAsync_NullDateExpires_UnsetsIt()
    {
        var job = NewJob("direct");
        job.Status = JobStatus.Started;
        job.Worker = WorkerA;
        job.DateStarted = T0;
        job.DateExpires = T0.AddDays(1);
        await InsertJobAsync(job);

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Interrupt) with { DateExpires = null }], Ct);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        var stored = await GetJobAsync(job.Id);
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Interrupt));
        Assert.That(stored.DateExpires, Is.Null);
    }

    [Test]
    public async Task CompleteAsync_Failure_WritesExceptionFieldsAndAppendsTracebackHistory()
    {
        var job = await InsertStartedAsync(queue: "tb");
        var firstEntry = new TracebackEntry(ClaimTime.AddSeconds(1), JobStatus.Retry, "System.TimeoutException", "tb one", null, WorkerA);
        await Part.CompleteAsync(
            [
                Outcome(job, JobStatus.Queued) with
                {
                    ExceptionType = "System.TimeoutException",
                    Traceback = "tb one",
                    TracebackEntry = firstEntry,
                    RetryCount = 1,
                    DateQueued = ClaimTime.AddSeconds(1),
                },
            ],
            Ct);
        var reclaimed = await Part.ClaimAsync(Claim("tb", 1, WorkerB), Ct);
        var secondEntry = new TracebackEntry(ClaimTime.AddSeconds(2), JobStatus.Failed, "System.ArgumentException", "tb two", "inner", WorkerB);

        var applied = await Part.CompleteAsync(
            [
                Outcome(job, JobStatus.Failed, WorkerB) with
                {
                    ExceptionType = "System.ArgumentException",
                    Traceback = "tb two",
                    TracebackEntry = secondEntry,
                    TotalTime = 0.5,
                    DateExpires = T0.AddDays(180),
                },
            ],
            Ct);
        var stored = await GetJobAsync(job.Id);

        Assert.That(reclaimed, Has.Count.EqualTo(1));
        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(stored.ExceptionType, Is.EqualTo("System.ArgumentException"));
        Assert.That(stored.Traceback, Is.EqualTo("tb two"));
        Assert.That(stored.TracebackHistory, Is.EqualTo(new[] { firstEntry, secondEntry }));
        Assert.That(stored.TracebackHistory.Select(e => e.Date.Kind), Is.All.EqualTo(DateTimeKind.Utc));
        Assert.That(stored.RetryCount, Is.EqualTo(1));
        Assert.That(stored.Worker, Is.EqualTo(WorkerB));
    }

    [Test]
    public async Task CompleteAsync_DelayedRetry_WritesRetryFieldsAndQueue()
    {
        var job = await InsertStartedAsync();

        var applied = await Part.CompleteAsync(
            [
                Outcome(job, JobStatus.Retry) with
                {
                    DateRetry = T0.AddMinutes(3),
                    RetryCount = 1,
                    Queue = "retry-queue",
                    DateExpires = T0.AddDays(180),
                },
            ],
            Ct);
        var stored = await GetJobAsync(job.Id);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Retry));
        AssertUtc(stored.DateRetry, T0.AddMinutes(3), "dateretry");
        Assert.That(stored.RetryCount, Is.EqualTo(1));
        Assert.That(stored.Queue, Is.EqualTo("retry-queue"));
        Assert.That(await Part.ClaimAsync(Claim("retry-queue"), Ct), Is.Empty);
    }

    [Test]
    public async Task CompleteAsync_ImmediateRetryOnOtherQueue_JobClaimableThere()
    {
        var job = await InsertStartedAsync(queue: "first");
        var requeuedAt = ClaimTime.AddSeconds(5);

        var applied = await Part.CompleteAsync(
            [Outcome(job, JobStatus.Queued) with { Queue = "second", DateQueued = requeuedAt, RetryCount = 1 }], Ct);
        var reclaimed = await Part.ClaimAsync(Claim("second", 10, WorkerB), Ct);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That(reclaimed.Select(j => j.Id), Is.EqualTo(new[] { job.Id }));
        Assert.That(reclaimed[0].RetryCount, Is.EqualTo(1));
        AssertUtc(reclaimed[0].DateQueued, requeuedAt, "datequeued");
        Assert.That(reclaimed[0].Queue, Is.EqualTo("second"));
    }

    [Test]
    public async Task CompleteAsync_InsertIfMissing_InsertsRecordWithOutcomeApplied()
    {
        var record = NewJob("retry_queue");
        record.Status = JobStatus.Started;
        record.Worker = WorkerA;
        record.DateStarted = ClaimTime;
        record.RawQueue = "source_raw";

        var applied = await Part.CompleteAsync(
            [Outcome(record, JobStatus.Success) with { Result = JsonValue.Create("done"), TotalTime = 0.25, InsertIfMissing = record }], Ct);
        var stored = await GetJobAsync(record.Id);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Success));
        AssertSameJson(stored.Result, JsonValue.Create("done"));
        Assert.That(stored.TotalTime, Is.EqualTo(0.25));
        Assert.That(stored.RawQueue, Is.EqualTo("source_raw"));
        Assert.That(stored.Queue, Is.EqualTo("retry_queue"));
        Assert.That(stored.Path, Is.EqualTo(record.Path));
        AssertSameJson(stored.Params, record.Params);
        Assert.That(stored.Worker, Is.EqualTo(WorkerA));
    }

    [Test]
    public async Task CompleteAsync_InsertIfMissingWhenStoredAndStarted_AppliesOnce()
    {
        var job = await InsertStartedAsync();

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Success) with { InsertIfMissing = job }], Ct);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That(await Part.CountAsync(new JobFilter { Ids = [job.Id] }, Ct), Is.EqualTo(1));
        Assert.That((await GetJobAsync(job.Id)).Status, Is.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task SaveProgressAsync_WhileStartedByWorker_Saved()
    {
        var job = await InsertStartedAsync();

        await Part.SaveProgressAsync([new JobProgress(job.Id, WorkerA, 0.4)], Ct);

        Assert.That((await GetJobAsync(job.Id)).Progress, Is.EqualTo(0.4));
    }

    [Test]
    public async Task SaveProgressAsync_ThenComplete_ProgressKept()
    {
        var job = await InsertStartedAsync();
        await Part.SaveProgressAsync([new JobProgress(job.Id, WorkerA, 0.25)], Ct);
        await Part.SaveProgressAsync([new JobProgress(job.Id, WorkerA, 0.5)], Ct);

        var applied = await Part.CompleteAsync([Outcome(job, JobStatus.Failed)], Ct);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        var stored = await GetJobAsync(job.Id);
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(stored.Progress, Is.EqualTo(0.5));
    }

    [Test]
    public async Task SaveProgressAsync_NotStartedOrOtherWorker_Ignored()
    {
        var queued = await InsertJobAsync(NewJob("idle"));
        var other = await InsertStartedAsync(WorkerB);
        var done = await InsertStartedAsync();
        await Part.CompleteAsync([Outcome(done, JobStatus.Success)], Ct);

        await Part.SaveProgressAsync(
            [new JobProgress(queued.Id, WorkerA, 0.5), new JobProgress(other.Id, WorkerA, 0.5), new JobProgress(done.Id, WorkerA, 0.5)], Ct);

        Assert.That((await GetJobAsync(queued.Id)).Progress, Is.Null);
        Assert.That((await GetJobAsync(other.Id)).Progress, Is.Null);
        Assert.That((await GetJobAsync(done.Id)).Progress, Is.Null);
    }
}
