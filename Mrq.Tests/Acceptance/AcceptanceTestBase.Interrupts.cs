using System.Text.Json.Nodes;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>§3.1 cases 9–16: timeout, abort, job actions, stop/abort, stale started jobs, limits, max_concurrency.</summary>
public abstract partial class AcceptanceTestBase
{
    [Test]
    public async Task Timeout_TaskIgnoresToken_SavedTimeoutAtDeadline()
    {
        var host = await StartHostAsync(configure: b => b.Configure(o =>
            o.Tasks["tests.tasks.general.Sleep"] = new Configuration.TaskOptions { Timeout = 1 }));
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Sleep", new JsonObject { ["seconds"] = 600, ["ignore_cancel"] = true });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Timeout), job.Traceback);
        Assert.That(job.ExceptionType, Is.EqualTo("TimeoutInterrupt"));
    }

    [Test]
    public async Task Timeout_SubpoolJobsAreCancelled()
    {
        var host = await StartHostAsync(configure: b => b.Configure(o =>
            o.Tasks["tests.tasks.general.SubPool"] = new Configuration.TaskOptions { Timeout = 1 }));
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.SubPool", new JsonObject { ["items"] = new JsonArray(1, 2, 3), ["sleep"] = 600 });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Timeout), job.Traceback);
    }

    [Test]
    public async Task SubPool_RunsItemsWithCurrentJobAndRunTask()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.SubPool", new JsonObject { ["items"] = new JsonArray(1, 2, 3, 4), ["pool_size"] = 2 });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Success), job.Traceback);
        Assert.That(job.Result!.ToJsonString(), Is.EqualTo("[2,4,6,8]"));
    }

    [Test]
    public async Task Abort_SavedAbortWithShortExpiryAndEmptyQueue()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Abort");

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Abort));
        Assert.That(job.DateExpires, Is.LessThan(DateTime.UtcNow.AddHours(24).AddMinutes(1)));
        Assert.That(job.TracebackHistory, Has.Count.EqualTo(1));
        await Wait.ForQueueSizeAsync(host.Client, "default", 0);
    }

    [Test]
    public async Task JobAction_CancelByPathQueueParams_CountsAndNeverRuns()
    {
        var host = await StartHostAsync();
        await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 }, "q1");
        await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 2, ["b"] = 1 }, "q1");
        await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 3, ["b"] = 1 }, "q2");
        await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 1 }, "q2");

        Assert.That(await host.Client.CancelJobsAsync(new JobFilter { Params = new JsonObject { ["a"] = 2 } }), Is.EqualTo(1));
        Assert.That(await host.Client.CancelJobsAsync(new JobFilter { Queue = "q2" }), Is.EqualTo(2));
        Assert.That(await host.Client.CancelJobsAsync(new JobFilter { Paths = ["tests.tasks.general.Add"] }), Is.EqualTo(1), "only one Add left uncancelled");

        var run = host.StartWorker();
        await run.StopAsync();
        var all = await host.Client.ListJobsAsync(JobFilter.All);
        Assert.That(all.Select(j => j.Status), Is.All.EqualTo(JobStatus.Cancel));
        Assert.That(all.Select(j => j.Result), Is.All.Null);
        Assert.That(await host.Client.GetQueueSizeAsync("q1"), Is.Zero);
        Assert.That(await host.Client.GetQueueSizeAsync("q2"), Is.Zero);

        Assert.That(await host.Client.RequeueJobsAsync(new JobFilter { Queue = "q2" }), Is.EqualTo(2));
        Assert.That(await host.Client.GetQueueSizeAsync("q2"), Is.EqualTo(2));
    }

    [Test]
    public async Task GracefulStop_RunningJobSucceedsLaterJobsStayQueued()
    {
        var host = await StartHostAsync();
        var gate = TestGates.NewName();
        var started = TestGates.NewName();
        var running = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 1, ["gate"] = gate, ["started"] = started });
        var run = host.StartWorker();
        await TestGates.Gate(started).WaitAsync(Wait.Long);
        var later = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 2 });

        var stopping = run.StopAsync();
        TestGates.Open(gate);
        Assert.That(await stopping, Is.EqualTo(WorkerExitReason.Stopped));

        Assert.That((await host.Client.GetJobAsync(running))!.Status, Is.EqualTo(JobStatus.Success));
        Assert.That((await host.Client.GetJobAsync(later))!.Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task Abort_RunningJobSavedInterruptThenRequeuedByMaintenance()
    {
        var host = await StartHostAsync();
        var started = TestGates.NewName();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Sleep", new JsonObject { ["seconds"] = 600, ["ignore_cancel"] = true, ["started"] = started });
        var run = host.StartWorker();
        await TestGates.Gate(started).WaitAsync(Wait.Long);

        Assert.That(await run.AbortAsync(), Is.EqualTo(WorkerExitReason.Aborted));
        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Interrupt));

        Assert.That(await host.Maintenance.RequeueInterruptedJobsAsync(), Is.EqualTo(1));
        job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(job.Queue, Is.EqualTo("default"));
    }

    [Test]
    public async Task RequeueStartedJobs_OnlyWhenWorkerGone()
    {
        var host = await StartHostAsync();
        var now = DateTime.UtcNow;
        var job = JobRecord.NewQueued("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 }, "default", now);
        await host.Storage.Jobs.InsertAsync([job], CancellationToken.None);
        const string DeadWorker = "dddddddddddddddddddddddd";
        await host.Storage.Workers.ReportAsync(Report(DeadWorker, now), CancellationToken.None);
        var claimed = await host.Storage.Jobs.ClaimAsync(new global::Mrq.Storage.ClaimRequest("default", 1, DeadWorker, now), CancellationToken.None);
        Assert.That(claimed, Has.Count.EqualTo(1));

        var alive = await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5));
        Assert.That(alive, Is.EqualTo(new Maintenance.StartedJobsResult(0, 1)), "the worker still reports: its job is left alone");

        await host.Storage.Workers.DeleteReportedBeforeAsync(DateTime.UtcNow.AddMinutes(1), CancellationToken.None);
        var gone = await host.Maintenance.RequeueStartedJobsAsync(TimeSpan.FromMinutes(5));
        Assert.That(gone, Is.EqualTo(new Maintenance.StartedJobsResult(1, 1)));
        Assert.That((await host.Client.GetJobAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Queued));

        host.StartWorker();
        Assert.That((await Wait.ForEndAsync(host.Client, job.Id)).Status, Is.EqualTo(JobStatus.Success));
    }

    private static global::Mrq.Storage.WorkerReport Report(string id, DateTime now) => new()
    {
        Id = id,
        Name = "dead",
        Status = "wait",
        Config = new global::Mrq.Storage.WorkerReportConfig(["default"], 1, 0, 0, "sequential", "dead", "localhost"),
        DateStarted = now,
        DateReported = now,
        Process = new global::Mrq.Storage.WorkerProcessInfo(1, 0, 0, 0),
    };

    [Test]
    public async Task Limits_MaxJobs_StopsAfterFiveLeavingSevenQueued()
    {
        var host = await StartHostAsync(o => { o.MaxJobs = 5; o.Greenlets = 2; });
        var ids = await host.Client.QueueJobsAsync("tests.tasks.general.Add", Enumerable.Range(0, 12).Select(i => new JsonObject { ["a"] = i, ["b"] = 1 }));
        var run = host.StartWorker();

        Assert.That(await run.Completion.WaitAsync(Wait.Long), Is.EqualTo(WorkerExitReason.MaxJobs));
        var jobs = await host.Client.ListJobsAsync(JobFilter.All, limit: 100);
        Assert.That(jobs.Count(j => j.Status == JobStatus.Queued), Is.EqualTo(7));
        Assert.That(jobs.Count(j => j.Status == JobStatus.Success), Is.EqualTo(5));
        Assert.That(ids, Has.Count.EqualTo(12));
    }

    [Test]
    public async Task Limits_MaxTime_FinishesRunningJobsAndLeavesTheRestQueued()
    {
        var host = await StartHostAsync(o => { o.MaxTime = 1; o.Greenlets = 2; });
        var gate = TestGates.NewName();
        var ids = await host.Client.QueueJobsAsync("tests.tasks.general.Gated", Enumerable.Range(0, 5).Select(i => new JsonObject { ["value"] = i, ["gate"] = gate }));
        var run = host.StartWorker();
        await Wait.UntilAsync(async () => (await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Started] })).Count == 2, "two jobs run");

        await Wait.UntilAsync(() => Task.FromResult(run.Worker.Status is "join"), "max_time stops the worker");
        TestGates.Open(gate);
        Assert.That(await run.Completion.WaitAsync(Wait.Long), Is.EqualTo(WorkerExitReason.MaxTime));

        var jobs = await host.Client.ListJobsAsync(JobFilter.All);
        Assert.That(jobs.Count(j => j.Status == JobStatus.Success), Is.EqualTo(2));
        Assert.That(jobs.Count(j => j.Status == JobStatus.Queued), Is.EqualTo(3));
        Assert.That(ids, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task MaxConcurrency_SecondJobGetsMaxconcurrencyThenNextSucceeds()
    {
        var host = await StartHostAsync(o => o.Greenlets = 2);
        var gate = TestGates.NewName();
        var started = TestGates.NewName();
        host.StartWorker();
        var first = await host.Client.QueueJobAsync("tests.tasks.general.LockedGated", new JsonObject { ["gate"] = gate, ["started"] = started });
        await TestGates.Gate(started).WaitAsync(Wait.Long);
        var second = await host.Client.QueueJobAsync("tests.tasks.general.LockedGated", new JsonObject());

        Assert.That((await Wait.ForEndAsync(host.Client, second)).Status, Is.EqualTo(JobStatus.MaxConcurrency));
        TestGates.Open(gate);
        Assert.That((await Wait.ForEndAsync(host.Client, first)).Status, Is.EqualTo(JobStatus.Success));
        var third = await host.Client.QueueJobAsync("tests.tasks.general.LockedGated", new JsonObject());
        Assert.That((await Wait.ForEndAsync(host.Client, third)).Status, Is.EqualTo(JobStatus.Success));
    }
}
