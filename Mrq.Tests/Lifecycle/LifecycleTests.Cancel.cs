using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary>Cancelling a running job: its token is signalled wherever it runs; one that ignores it is reported.</summary>
public sealed partial class LifecycleTests
{
    [Test]
    public async Task CancelRunning_InProcess_CooperativeTaskStopsAndStaysCancel()
    {
        var host = await StartHostAsync();
        var run = host.StartWorker();
        var started = TestGates.NewName();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["started"] = started, ["gate"] = TestGates.NewName(), ["value"] = 1 });
        await TestGates.Gate(started).WaitAsync(Wait.Long);

        Assert.That(await host.Client.CancelAsync(id), Is.True);

        // The task waits on a gate nobody opens: only its cancellation token ends it, which frees the worker.
        await Wait.UntilAsync(() => Task.FromResult(run.Worker.DoneJobs == 1), "the worker ended the cancelled job");
        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Cancel));
        Assert.That(job.Result, Is.Null);
    }

    [Test]
    public async Task CancelRunning_ByFilterAsFromAnotherProcess_WorkerSeesItWithinOneCheck()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock);
        var run = host.StartWorker();
        var started = TestGates.NewName();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["started"] = started, ["gate"] = TestGates.NewName(), ["value"] = 1 });
        await TestGates.Gate(started).WaitAsync(Wait.Long);

        // A cancel by filter is what the CLI, the dashboard or another process does: only the stored status changes.
        Assert.That(await host.Client.CancelJobsAsync(new JobFilter { Ids = [id] }), Is.EqualTo(1));

        // The watcher reads the stored status every second of the worker's clock (far below the task's 1 h timeout).
        await Wait.UntilAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(500));
                return Task.FromResult(run.Worker.DoneJobs == 1);
            },
            "the worker ended the cancelled job");
        Assert.That((await host.Client.GetJobAsync(id))!.Status, Is.EqualTo(JobStatus.Cancel));
    }

    [Test]
    public async Task CancelRunning_TaskIgnoresToken_ReportedInJobLogsAndStaysCancel()
    {
        var host = await StartHostAsync(options: o => o.AbandonGrace = 0.2);
        var run = host.StartWorker();
        var started = TestGates.NewName();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Sleep", new JsonObject { ["started"] = started, ["seconds"] = 5, ["ignore_cancel"] = true });
        await TestGates.Gate(started).WaitAsync(Wait.Long);

        Assert.That(await host.Client.CancelAsync(id), Is.True);

        await Wait.UntilAsync(async () => (await host.Client.GetJobLogsAsync(id)).Contains("did not stop", StringComparison.Ordinal), "the job's logs say it still runs");
        Assert.That(run.Worker.DoneJobs, Is.EqualTo(1), "the worker gave the job up after the grace");
        Assert.That((await host.Client.GetJobAsync(id))!.Status, Is.EqualTo(JobStatus.Cancel));
    }
}
