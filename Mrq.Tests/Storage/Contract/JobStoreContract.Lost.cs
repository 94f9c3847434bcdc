using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The poison-job rule: requeueing a job lost by its worker counts it, and fails it at the limit.</summary>
public abstract partial class JobStoreContract
{
    private JobAction LostAction(JobFilter filter, int limit = WorkerLost.DefaultLimit) =>
        new(JobActionKind.RequeueLost, filter, ClaimTime.AddMinutes(1), ExpiresAt: ClaimTime.AddDays(1)) { LostLimit = limit };

    /// <summary>A started job on its own queue that already went through two retries.</summary>
    private async Task<JobRecord> InsertStartedRetriedTwiceAsync()
    {
        var queue = "lost-" + Guid.NewGuid().ToString("N");
        var job = NewJob(queue);
        job.RetryCount = 2;
        await InsertJobAsync(job);
        var claimed = await Part.ClaimAsync(Claim(queue, 1), Ct);
        Assert.That(claimed, Has.Count.EqualTo(1));
        return claimed[0];
    }

    [Test]
    public async Task ApplyActionAsync_RequeueLost_QueuedCountsLostRunAndKeepsRetryCount()
    {
        var job = await InsertStartedRetriedTwiceAsync();

        var changed = await Part.ApplyActionAsync(LostAction(new JobFilter { Ids = [job.Id] }), Ct);
        var stored = await GetJobAsync(job.Id);

        Assert.That(changed, Is.EqualTo(1));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(stored.LostCount, Is.EqualTo(1));
        Assert.That(stored.RetryCount, Is.EqualTo(2), "a lost run is not a retry: retry_count kept");
        AssertUtc(stored.DateQueued, ClaimTime.AddMinutes(1), "datequeued");
    }

    [Test]
    public async Task ApplyActionAsync_RequeueLostAtLimit_FailedWorkerLostWithTraceback()
    {
        var job = await InsertStartedRetriedTwiceAsync();
        var filter = new JobFilter { Ids = [job.Id] };

        for (var run = 1; run <= 3; run++)
        {
            if (run > 1)
            {
                var again = await Part.ClaimAsync(new ClaimRequest(job.Queue, 1, WorkerA, ClaimTime.AddMinutes(run)), Ct);
                Assert.That(again, Has.Count.EqualTo(1), $"claim {run}");
            }

            Assert.That(await Part.ApplyActionAsync(LostAction(filter), Ct), Is.EqualTo(1), $"lost run {run}");
        }

        var stored = await GetJobAsync(job.Id);
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(stored.ExceptionType, Is.EqualTo(WorkerLost.ExceptionType));
        Assert.That(stored.Traceback, Does.Contain("WorkerLost").And.Contain("3 times"));
        Assert.That(stored.LostCount, Is.EqualTo(3));
        Assert.That(stored.RetryCount, Is.EqualTo(2));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueLostWithLimitOne_FailsAtOnce()
    {
        var job = await InsertStartedRetriedTwiceAsync();

        await Part.ApplyActionAsync(LostAction(new JobFilter { Ids = [job.Id] }, limit: 1), Ct);

        var stored = await GetJobAsync(job.Id);
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(stored.ExceptionType, Is.EqualTo(WorkerLost.ExceptionType));
        Assert.That(stored.LostCount, Is.EqualTo(1));
    }

    [Test]
    public async Task ApplyActionAsync_RequeueLost_LeavesJobsThatAreNotStartedOrOfLiveWorkers()
    {
        var queued = await InsertJobAsync(NewJob("lost-queued-" + Guid.NewGuid().ToString("N")));
        var ofLiveWorker = await InsertStartedAsync(WorkerB);
        var ofDeadWorker = await InsertStartedAsync(WorkerA);

        var changed = await Part.ApplyActionAsync(
            LostAction(new JobFilter { Ids = [queued.Id, ofLiveWorker.Id, ofDeadWorker.Id], WorkerNotIn = [WorkerB] }), Ct);

        Assert.That(changed, Is.EqualTo(1));
        Assert.That((await GetJobAsync(queued.Id)).LostCount, Is.Zero);
        Assert.That((await GetJobAsync(ofLiveWorker.Id)).Status, Is.EqualTo(JobStatus.Started));
        Assert.That((await GetJobAsync(ofDeadWorker.Id)).Status, Is.EqualTo(JobStatus.Queued));
    }
}
