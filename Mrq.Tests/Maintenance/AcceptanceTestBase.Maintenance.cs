using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>
/// Maintenance on every backend (R1, poison jobs, F3): who counts as dead, what a lost run does to a job, and that an
/// applied action is never reported as failed.
/// </summary>
public abstract partial class AcceptanceTestBase
{
    private const string LostWorker = "eeeeeeeeeeeeeeeeeeeeeeee";

    private static WorkerReport WorkerReportAt(string id, DateTime reported, string status = "wait") => new()
    {
        Id = id,
        Name = "maintenance-test",
        Status = status,
        Config = new WorkerReportConfig(["default"], 1, 0, 0, "sequential", "maintenance-test", "localhost"),
        DateStarted = reported,
        DateReported = reported,
        Process = new WorkerProcessInfo(1, 0, 0, 0),
    };

    private static async Task<JobRecord> InsertClaimedAsync(MrqTestHost host, string path, string worker, DateTime started, int retryCount = 0)
    {
        var job = JobRecord.NewQueued(path, new JsonObject { ["a"] = 1, ["b"] = 2 }, "default", started);
        job.RetryCount = retryCount;
        await host.Storage.Jobs.InsertAsync([job], CancellationToken.None);
        var claimed = await host.Storage.Jobs.ClaimAsync(new ClaimRequest("default", 1, worker, started), CancellationToken.None);
        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { job.Id }));
        return claimed[0];
    }

    [Test]
    public async Task RequeueStartedJobs_WorkerSilentForTwoMinutes_StillAliveUnderDefaultLease()
    {
        var host = await StartHostAsync();
        var now = DateTime.UtcNow;
        // A report loop held up for two minutes (or, on MongoDB, a worker clock two minutes behind): not dead by MRQ's rule.
        await host.Storage.Workers.ReportAsync(WorkerReportAt(LostWorker, now.AddMinutes(-2)), CancellationToken.None);
        var job = await InsertClaimedAsync(host, "tests.tasks.general.Add", LostWorker, now);

        var result = await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5));

        Assert.That(result, Is.EqualTo(new Maintenance.StartedJobsResult(0, 1)));
        Assert.That((await host.Client.GetJobAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Started));
    }

    [Test]
    public async Task RequeueStartedJobs_WorkerStopped_JobRequeuedAtOnce()
    {
        var host = await StartHostAsync();
        var now = DateTime.UtcNow;
        await host.Storage.Workers.ReportAsync(WorkerReportAt(LostWorker, now, WorkerReport.StopStatus), CancellationToken.None);
        var job = await InsertClaimedAsync(host, "tests.tasks.general.Add", LostWorker, now);

        var result = await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5));

        Assert.That(result.Requeued, Is.EqualTo(1));
        Assert.That((await host.Client.GetJobAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task RequeueStartedJobs_ShortLeaseOption_SilentWorkerDead()
    {
        // worker_lease judged on the storage's clock: an embedded storage uses the host's TimeProvider, MongoDB its own
        // time; either way a report older than the lease means dead.
        var host = await StartHostAsync(o => o.WorkerLease = 1);
        await host.Storage.Workers.ReportAsync(WorkerReportAt(LostWorker, DateTime.UtcNow.AddSeconds(-30)), CancellationToken.None);
        var job = await InsertClaimedAsync(host, "tests.tasks.general.Add", LostWorker, DateTime.UtcNow);

        await Wait.UntilAsync(async () => (await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5))).Requeued == 1, "the silent worker's job requeued", Wait.Long);

        Assert.That((await host.Client.GetJobAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task RequeueStartedJobs_LostThreeTimes_FailedWorkerLostAndRetryCountKept()
    {
        var host = await StartHostAsync();
        var now = DateTime.UtcNow;
        var job = await InsertClaimedAsync(host, "tests.tasks.general.Add", LostWorker, now, retryCount: 1);

        for (var run = 1; run <= 3; run++)
        {
            if (run > 1)
            {
                var again = await host.Storage.Jobs.ClaimAsync(new ClaimRequest("default", 1, LostWorker, now.AddSeconds(run)), CancellationToken.None);
                Assert.That(again, Has.Count.EqualTo(1), $"claim {run}");
            }

            var result = await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5));
            Assert.That(result.Requeued, Is.EqualTo(1), $"lost run {run}");
            var stored = (await host.Client.GetJobAsync(job.Id))!;
            Assert.That(stored.RetryCount, Is.EqualTo(1), $"retry_count kept after lost run {run}");
            Assert.That(stored.LostCount, Is.EqualTo(run));
            Assert.That(stored.Status, Is.EqualTo(run < 3 ? JobStatus.Queued : JobStatus.Failed), $"after lost run {run}");
        }

        var failed = (await host.Client.GetJobAsync(job.Id))!;
        Assert.That(failed.ExceptionType, Is.EqualTo("WorkerLost"));
        Assert.That(failed.Traceback, Does.Contain("lost 3 times"));
    }

    [Test]
    public async Task RequeueStartedJobs_MaxLostOption_FailsAtThatCount()
    {
        var host = await StartHostAsync(o => o.MaxLost = 1);
        var job = await InsertClaimedAsync(host, "tests.tasks.general.Add", LostWorker, DateTime.UtcNow);

        await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5));

        Assert.That((await host.Client.GetJobAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Failed));
    }

    [Test]
    public async Task RequeueStartedJobs_PathUnknownHereFarPastDefaultTimeout_LeftToItsLiveWorker()
    {
        var host = await StartHostAsync();
        var now = DateTime.UtcNow;
        await host.Storage.Workers.ReportAsync(WorkerReportAt(LostWorker, now), CancellationToken.None);
        // A Python-only task may have a timeout longer than any this process knows: only its worker's death counts.
        var unknown = await InsertClaimedAsync(host, "python.only.LongTask", LostWorker, now.AddHours(-3));
        var known = await InsertClaimedAsync(host, "tests.tasks.general.Add", LostWorker, now.AddHours(-3));

        var result = await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5));

        Assert.That(result.Requeued, Is.EqualTo(1));
        Assert.That((await host.Client.GetJobAsync(unknown.Id))!.Status, Is.EqualTo(JobStatus.Started));
        Assert.That((await host.Client.GetJobAsync(known.Id))!.Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task RequeueJobs_WakingWorkersFails_ActionStillReportedApplied()
    {
        var host = await StartHostAsync(configure: b => b.ConfigureStorage((_, parts) => parts.Notifier = new FailingNotifier()));
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        await host.Client.CancelAsync(id);

        var requeued = await host.Client.RequeueJobsAsync(new JobFilter { Ids = [id] });

        Assert.That(requeued, Is.EqualTo(1));
        Assert.That((await host.Client.GetJobAsync(id))!.Status, Is.EqualTo(JobStatus.Queued));
    }

    private sealed class FailingNotifier : IJobNotifier
    {
        public ValueTask NotifyAsync(string queue, int count, CancellationToken cancellationToken) =>
            throw new MrqStorageException("notify failed (test)");

        public async ValueTask<bool> WaitAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await Task.Delay(timeout, cancellationToken);
            return false;
        }
    }
}
