using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage.InMemory;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.MrqCompat;

/// <summary>MRQ's <c>mrq.basetasks.*</c>, built in under MRQ's paths and result shapes.</summary>
[TestFixture]
public sealed class BaseTasksTests
{
    [Test]
    public async Task JobAction_CancelByPath_MrqsStatsAndOnlyThosePaths()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), options: o => o.Queues = ["other", "cleaning"]);
        var matching = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 }, "other");
        var kept = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject(), "kept");
        var action = await host.Client.QueueJobAsync("mrq.basetasks.utils.JobAction",
            new JsonObject { ["action"] = "cancel", ["path"] = "tests.tasks.general.Add", ["queue"] = "other" }, "cleaning");
        var run = host.StartWorker();

        // The action's own job is queued after the matching one but runs first on its own queue only if the worker
        // reaches it first; the matching job is cancelled or already done either way, so wait for the action.
        var result = (await Wait.ForEndAsync(host.Client, action)).Result!.AsObject();

        Assert.That(result.Select(p => p.Key), Is.EquivalentTo(new[] { "requeued", "cancelled" }));
        Assert.That((await host.Client.GetJobAsync(kept))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That((await host.Client.GetJobAsync(matching))!.Status, Is.AnyOf(JobStatus.Cancel, JobStatus.Success));
        await run.StopAsync();
    }

    [Test]
    public async Task RequeueStartedJobs_WorkerGone_RequeuedWithMrqsStats()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), options: o => o.Queues = ["cleaning"]);
        var orphan = JobRecord.NewQueued("tests.tasks.general.Add", new JsonObject(), "default", DateTime.UtcNow);
        orphan.Status = JobStatus.Started;
        orphan.Worker = "0123456789abcdef01234567";
        orphan.DateStarted = DateTime.UtcNow;
        await host.Storage.Jobs.InsertAsync([orphan], CancellationToken.None);
        var task = await host.Client.QueueJobAsync("mrq.basetasks.cleaning.RequeueStartedJobs", new JsonObject { ["timeout"] = 0 }, "cleaning");
        var run = host.StartWorker();

        var result = (await Wait.ForEndAsync(host.Client, task)).Result!.AsObject();

        Assert.That(result["requeued"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(result["started"]!.GetValue<long>(), Is.EqualTo(2), "the orphan and this task's own job, as MRQ counts");
        Assert.That((await host.Client.GetJobAsync(orphan.Id))!.Status, Is.EqualTo(JobStatus.Queued));
        await run.StopAsync();
    }

    [Test]
    public async Task JobAction_CancelByWorker_LeavesItsOwnJobOutAndEndsSuccess()
    {
        // MRQ's test_cancel_by_worker: an action by worker matches the jobs that worker ran and the action's own job.
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        var run = host.StartWorker();
        var done = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 41, ["b"] = 1 });
        await Wait.ForStatusAsync(host.Client, done, JobStatus.Success);
        var worker = (await host.Client.GetJobAsync(done))!.Worker!;
        var action = await host.Client.QueueJobAsync("mrq.basetasks.utils.JobAction", new JsonObject { ["action"] = "cancel", ["worker"] = worker });

        var ended = await Wait.ForEndAsync(host.Client, action);

        Assert.That(ended.Status, Is.EqualTo(JobStatus.Success), ended.Traceback);
        Assert.That(ended.Result!["cancelled"]!.GetValue<long>(), Is.EqualTo(1), "only the job the worker ran before");
        Assert.That((await host.Client.GetJobAsync(done))!.Status, Is.EqualTo(JobStatus.Cancel));
        await run.StopAsync();
    }

    [Test]
    public async Task JobAction_UnknownAction_JobFailsNamingIt()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        var task = await host.Client.QueueJobAsync("mrq.basetasks.utils.JobAction", new JsonObject { ["action"] = "explode" });
        var run = host.StartWorker();

        var job = await Wait.ForEndAsync(host.Client, task);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.Traceback, Does.Contain("unknown action 'explode'"));
        await run.StopAsync();
    }
}
