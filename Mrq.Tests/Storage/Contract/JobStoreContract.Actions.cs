using System.Text.Json.Nodes;
using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

public abstract partial class JobStoreContract
{
    private DateTime ActionTime => T0.AddMinutes(1);

    private Task<long> ActAsync(JobActionKind kind, JobFilter filter, string? destination = null, DateTime? expiresAt = null) =>
        Part.ApplyActionAsync(new JobAction(kind, filter, ActionTime, destination, expiresAt), Ct).AsTask();

    private async Task<JobRecord> InsertWithStatusAsync(JobStatus status, string queue = "default", string path = "tests.Noop", int retryCount = 0)
    {
        var job = NewJob(queue, path);
        job.Status = status;
        job.RetryCount = retryCount;
        if (status != JobStatus.Queued)
        {
            job.Worker = WorkerA;
            job.DateStarted = T0;
        }

        return await InsertJobAsync(job);
    }

    private async Task<JobStatus[]> StatusesAsync(params JobRecord[] jobs)
    {
        var result = new List<JobStatus>();
        foreach (var job in jobs)
        {
            result.Add((await GetJobAsync(job.Id)).Status);
        }

        return [.. result];
    }

    [Test]
    public async Task ApplyActionAsync_CancelByIds_CancelsOnlyThose()
    {
        var a = await InsertJobAsync(NewJob());
        var b = await InsertJobAsync(NewJob());
        var c = await InsertJobAsync(NewJob());

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Ids = [a.Id, c.Id] }, expiresAt: T0.AddDays(1));

        Assert.That(count, Is.EqualTo(2));
        Assert.That(await StatusesAsync(a, b, c), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Queued, JobStatus.Cancel }));
        var stored = await GetJobAsync(a.Id);
        AssertUtc(stored.DateUpdated, ActionTime, "dateupdated");
        AssertUtc(stored.DateExpires, T0.AddDays(1), "dateexpires");
        Assert.That(await Part.ClaimAsync(Claim(), Ct), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ApplyActionAsync_CancelByQueue_ExactNameOnly()
    {
        var q = await InsertJobAsync(NewJob("q"));
        var sub = await InsertJobAsync(NewJob("q/sub"));
        var other = await InsertJobAsync(NewJob("qq"));

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Queue = "q" });

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await StatusesAsync(q, sub, other), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Queued, JobStatus.Queued }));
    }

    [Test]
    public async Task ApplyActionAsync_CancelByQueuePrefix_QueueAndSubqueues()
    {
        var q = await InsertJobAsync(NewJob("q"));
        var sub = await InsertJobAsync(NewJob("q/sub"));
        var deep = await InsertJobAsync(NewJob("q/sub/deeper"));
        var other = await InsertJobAsync(NewJob("qq"));

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Queue = "q/" });

        Assert.That(count, Is.EqualTo(3));
        Assert.That(await StatusesAsync(q, sub, deep, other), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Cancel, JobStatus.Cancel, JobStatus.Queued }));
    }

    [Test]
    public async Task ApplyActionAsync_CancelByStatuses_OnlyThoseStatuses()
    {
        var queued = await InsertWithStatusAsync(JobStatus.Queued);
        var failed = await InsertWithStatusAsync(JobStatus.Failed);
        var success = await InsertWithStatusAsync(JobStatus.Success);

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Statuses = [JobStatus.Failed, JobStatus.Queued] });

        Assert.That(count, Is.EqualTo(2));
        Assert.That(await StatusesAsync(queued, failed, success), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Cancel, JobStatus.Success }));
    }

    [Test]
    public async Task ApplyActionAsync_CancelByPaths_OnlyThosePaths()
    {
        var a = await InsertJobAsync(NewJob(path: "tests.A"));
        var b = await InsertJobAsync(NewJob(path: "tests.B"));
        var c = await InsertJobAsync(NewJob(path: "tests.C"));

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Paths = ["tests.A", "tests.B"] });

        Assert.That(count, Is.EqualTo(2));
        Assert.That(await StatusesAsync(a, b, c), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Cancel, JobStatus.Queued }));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueByWorker_OnlyThatWorkersJobs()
    {
        var mine = await InsertStartedAsync(WorkerA);
        var theirs = await InsertStartedAsync(WorkerB);

        var count = await ActAsync(JobActionKind.Requeue, new JobFilter { Worker = WorkerA });

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await StatusesAsync(mine, theirs), Is.EqualTo(new[] { JobStatus.Queued, JobStatus.Started }));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueByWorkerNotIn_OnlyJobsOfOtherWorkers()
    {
        var alive = await InsertStartedAsync(WorkerA);
        var dead = await InsertStartedAsync(WorkerB);
        var queued = await InsertJobAsync(NewJob("never-claimed"));

        var count = await ActAsync(JobActionKind.Requeue, new JobFilter { Statuses = [JobStatus.Started], WorkerNotIn = [WorkerA] });

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await StatusesAsync(alive, dead, queued), Is.EqualTo(new[] { JobStatus.Started, JobStatus.Queued, JobStatus.Queued }));
    }

    [Test]
    public async Task ApplyActionAsync_CancelByParamsSubset_MatchesEqualValues()
    {
        var match = await InsertJobAsync(NewJob(parameters: new JsonObject { ["user"] = 7, ["tags"] = new JsonArray("a", "b"), ["extra"] = "x" }));
        var otherValue = await InsertJobAsync(NewJob(parameters: new JsonObject { ["user"] = 8, ["tags"] = new JsonArray("a", "b") }));
        var missingKey = await InsertJobAsync(NewJob(parameters: new JsonObject { ["user"] = 7 }));

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Params = new JsonObject { ["user"] = 7, ["tags"] = new JsonArray("a", "b") } });

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await StatusesAsync(match, otherValue, missingKey), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Queued, JobStatus.Queued }));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueRetryByDateRetryBefore_OnlyDueRetries()
    {
        var due = NewJob("retries");
        due.Status = JobStatus.Retry;
        due.DateRetry = ActionTime;
        due.RetryCount = 2;
        var later = NewJob("retries");
        later.Status = JobStatus.Retry;
        later.DateRetry = ActionTime.AddMilliseconds(1);
        later.RetryCount = 1;
        await InsertJobsAsync(due, later);

        var count = await ActAsync(JobActionKind.RequeueRetry, new JobFilter { Statuses = [JobStatus.Retry], DateRetryBefore = ActionTime });

        Assert.That(count, Is.EqualTo(1));
        var stored = await GetJobAsync(due.Id);
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(stored.RetryCount, Is.EqualTo(2));
        AssertUtc(stored.DateQueued, ActionTime, "datequeued");
        Assert.That((await GetJobAsync(later.Id)).Status, Is.EqualTo(JobStatus.Retry));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueByDateStartedBefore_StrictlyBefore()
    {
        var old = NewJob("stale");
        old.Status = JobStatus.Started;
        old.Worker = WorkerA;
        old.DateStarted = T0.AddSeconds(-1);
        var boundary = NewJob("stale");
        boundary.Status = JobStatus.Started;
        boundary.Worker = WorkerA;
        boundary.DateStarted = T0;
        await InsertJobsAsync(old, boundary);

        var count = await ActAsync(JobActionKind.Requeue, new JobFilter { Statuses = [JobStatus.Started], DateStartedBefore = T0 });

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await StatusesAsync(old, boundary), Is.EqualTo(new[] { JobStatus.Queued, JobStatus.Started }));
    }

    [Test]
    public async Task ApplyActionAsync_CancelWithMaxId_SkipsLaterJobs()
    {
        var first = await InsertJobAsync(NewJob());
        var current = await InsertJobAsync(NewJob());
        var later = await InsertJobAsync(NewJob());

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { MaxId = current.Id });

        Assert.That(count, Is.EqualTo(2));
        Assert.That(await StatusesAsync(first, current, later), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Cancel, JobStatus.Queued }));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueByExceptionType_OnlyThatType()
    {
        var a = NewJob();
        a.Status = JobStatus.Failed;
        a.ExceptionType = "System.TimeoutException";
        var b = NewJob();
        b.Status = JobStatus.Failed;
        b.ExceptionType = "System.ArgumentException";
        await InsertJobsAsync(a, b);

        var count = await ActAsync(JobActionKind.Requeue, new JobFilter { ExceptionType = "System.TimeoutException" });

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await StatusesAsync(a, b), Is.EqualTo(new[] { JobStatus.Queued, JobStatus.Failed }));
    }

    [Test]
    public async Task ApplyActionAsync_Requeue_ResetsRetryCountAndSetsDateQueued()
    {
        var job = await InsertWithStatusAsync(JobStatus.Failed, "fails", retryCount: 3);

        var count = await ActAsync(JobActionKind.Requeue, new JobFilter { Ids = [job.Id] }, expiresAt: ActionTime.AddDays(180));
        var stored = await GetJobAsync(job.Id);

        Assert.That(count, Is.EqualTo(1));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(stored.RetryCount, Is.Zero);
        Assert.That(stored.Queue, Is.EqualTo("fails"));
        AssertUtc(stored.DateQueued, ActionTime, "datequeued");
        AssertUtc(stored.DateUpdated, ActionTime, "dateupdated");
        AssertUtc(stored.DateExpires, ActionTime.AddDays(180), "dateexpires");
        Assert.That((await Part.ClaimAsync(Claim("fails"), Ct)).Select(j => j.Id), Is.EqualTo(new[] { job.Id }));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueRetry_KeepsRetryCount()
    {
        var job = await InsertWithStatusAsync(JobStatus.Interrupt, retryCount: 2);

        var count = await ActAsync(JobActionKind.RequeueRetry, new JobFilter { Statuses = [JobStatus.Interrupt] });

        Assert.That(count, Is.EqualTo(1));
        var stored = await GetJobAsync(job.Id);
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(stored.RetryCount, Is.EqualTo(2));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueWithDestination_MovesQueue()
    {
        var job = await InsertWithStatusAsync(JobStatus.MaxRetries, "from", retryCount: 1);

        var count = await ActAsync(JobActionKind.Requeue, new JobFilter { Queue = "from" }, destination: "to");

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await Part.ClaimAsync(Claim("from"), Ct), Is.Empty);
        var claimed = await Part.ClaimAsync(Claim("to"), Ct);
        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { job.Id }));
        Assert.That(claimed[0].RetryCount, Is.Zero);
    }

    [Test]
    public async Task ApplyActionAsync_RequeueWithoutStatusFilter_SkipsQueuedJobs()
    {
        var queued = await InsertJobAsync(NewJob(dateQueued: T0));
        var failed = await InsertWithStatusAsync(JobStatus.Failed);

        var count = await ActAsync(JobActionKind.Requeue, JobFilter.All);

        Assert.That(count, Is.EqualTo(1));
        AssertUtc((await GetJobAsync(queued.Id)).DateQueued, T0, "untouched datequeued");
        Assert.That((await GetJobAsync(failed.Id)).Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueSuccessJob_Requeued()
    {
        var job = await InsertWithStatusAsync(JobStatus.Success);

        var count = await ActAsync(JobActionKind.Requeue, new JobFilter { Ids = [job.Id] });

        Assert.That(count, Is.EqualTo(1));
        Assert.That((await GetJobAsync(job.Id)).Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task ApplyActionAsync_ForbiddenTransition_NotApplied()
    {
        var cancelled = await InsertWithStatusAsync(JobStatus.Cancel);
        var queued = await InsertJobAsync(NewJob());

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Statuses = [JobStatus.Cancel, JobStatus.Queued] });

        Assert.That(count, Is.EqualTo(1));
        Assert.That(await StatusesAsync(cancelled, queued), Is.EqualTo(new[] { JobStatus.Cancel, JobStatus.Cancel }));
        Assert.That((await GetJobAsync(cancelled.Id)).DateUpdated, Is.Null);
    }

    [Test]
    public async Task ApplyActionAsync_CancelEveryStatus_OnlyAllowedSourcesChanged()
    {
        var jobs = new Dictionary<JobStatus, JobRecord>();
        foreach (var status in JobStatusNames.All)
        {
            jobs[status] = await InsertWithStatusAsync(status);
        }

        var count = await ActAsync(JobActionKind.Cancel, JobFilter.All);

        var expected = JobStatusNames.All.Where(s => JobStateMachine.CanTransition(s, JobStatus.Cancel)).ToArray();
        Assert.That(count, Is.EqualTo(expected.Length));
        foreach (var (status, job) in jobs)
        {
            Assert.That((await GetJobAsync(job.Id)).Status, Is.EqualTo(JobStatus.Cancel), status.ToMrqName());
        }

        Assert.That((await GetJobAsync(jobs[JobStatus.Cancel].Id)).DateUpdated, Is.Null);
    }

    [Test]
    public async Task ApplyActionAsync_NothingMatches_ReturnsZero()
    {
        var job = await InsertJobAsync(NewJob());

        var count = await ActAsync(JobActionKind.Cancel, new JobFilter { Queue = "elsewhere" });

        Assert.That(count, Is.Zero);
        Assert.That((await GetJobAsync(job.Id)).Status, Is.EqualTo(JobStatus.Queued));
    }
}
