using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>§3.1 cases 1–4: lifecycle, failure, ordering, whitelist/blacklist.</summary>
public abstract partial class AcceptanceTestBase
{
    [Test]
    public async Task SimpleTask_Add_SucceedsWithResultReportAndLogs()
    {
        var host = await StartHostAsync();
        var run = host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 41, ["b"] = 1, ["sleep"] = 0.2 });

        var result = await host.Client.WaitAsync(id, Wait.Long);
        var job = (await host.Client.GetJobAsync(id))!;

        Assert.That(result, Is.EqualTo(new JobResult(JobStatus.Success, result.Result)));
        Assert.That((int)result.Result!, Is.EqualTo(42));
        Assert.That(job.Queue, Is.EqualTo("default"));
        Assert.That(job.Worker, Is.EqualTo(run.Worker.Id));
        Assert.That(job.DateStarted, Is.Not.Null);
        Assert.That(job.DateUpdated, Is.Not.Null);
        Assert.That(job.TotalTime, Is.GreaterThan(0.15), "totaltime covers the 0.2 s sleep (timers may fire a little early)");
        Assert.That(job.DateExpires, Is.GreaterThan(DateTime.UtcNow.AddDays(6)));

        await run.StopAsync();
        var reports = await host.Storage.Workers.ListAsync(CancellationToken.None);
        Assert.That(reports, Has.Count.EqualTo(1));
        Assert.That(reports[0].Status, Is.EqualTo("stop"));
        Assert.That(reports[0].Jobs, Is.Empty);
        Assert.That(reports[0].DoneJobs, Is.EqualTo(1));
        Assert.That(await host.Client.GetJobLogsAsync(id), Does.Contain("adding 41 and 1"));
    }

    [Test]
    public async Task Failure_TaskThrows_SavedFailedWithTypeAndTraceback()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "xyz" });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.ExceptionType, Is.EqualTo("InvalidDataException"));
        Assert.That(job.Traceback, Does.Contain("xyz").And.Contain(nameof(RaiseException)));
        Assert.That(job.Result, Is.Null);
        Assert.That(job.TracebackHistory, Has.Count.EqualTo(1));
        Assert.That(job.DateExpires, Is.EqualTo(job.DateQueued + TimeSpan.FromSeconds(host.Options.DefaultJobTtl)).Within(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task UnknownPath_SavedFailedWithTaskNotFound()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.DoesNotExist");

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.ExceptionType, Is.EqualTo("TaskNotFound"));
        Assert.That(job.Traceback, Does.Contain("tests.tasks.DoesNotExist"));
    }

    [Test]
    public async Task Ordering_RequeueWhileRunning_RunsInQueueOrder132()
    {
        var host = await StartHostAsync();
        var log = TestGates.NewName();
        var gate1 = TestGates.NewName();
        var started1 = TestGates.NewName();
        var id1 = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 1, ["log"] = log, ["gate"] = gate1, ["started"] = started1 });
        var id2 = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 2, ["log"] = log });
        var id3 = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 3, ["log"] = log });
        host.StartWorker();
        await TestGates.Gate(started1).WaitAsync(Wait.Long);

        Assert.That(await host.Client.RequeueAsync(id2), Is.True, "a queued job is requeued behind the others when named by id");
        TestGates.Open(gate1);
        await Wait.ForEndAsync(host.Client, id1);
        await Wait.ForEndAsync(host.Client, id3);
        await Wait.ForEndAsync(host.Client, id2);

        Assert.That(TestGates.Entries(log), Is.EqualTo(new[] { "1", "3", "2" }));
    }

    [Test]
    public async Task Ordering_ReverseQueue_RunsLifo()
    {
        var host = await StartHostAsync(o => o.Queues = ["default_reverse"]);
        var log = TestGates.NewName();
        var ids = new List<JobId>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add(await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = i, ["log"] = log }));
        }

        host.StartWorker();
        foreach (var id in ids)
        {
            await Wait.ForEndAsync(host.Client, id);
        }

        Assert.That(TestGates.Entries(log), Is.EqualTo(new[] { "3", "2", "1" }));
    }

    [Test]
    public async Task Whitelist_NonMatchingPathsStayQueued()
    {
        var host = await StartHostAsync(o => o.TaskWhitelist = ["tests.tasks.general.Add"]);
        var other = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 1 });
        var add = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        var run = host.StartWorker();

        await Wait.ForEndAsync(host.Client, add);
        await run.StopAsync();

        Assert.That((await host.Client.GetJobAsync(other))!.Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task Blacklist_MatchingPathsStayQueued()
    {
        var host = await StartHostAsync(o => o.TaskBlacklist = ["tests.tasks.general.Gated"]);
        var other = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 1 });
        var add = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        var run = host.StartWorker();

        await Wait.ForEndAsync(host.Client, add);
        await run.StopAsync();

        Assert.That((await host.Client.GetJobAsync(other))!.Status, Is.EqualTo(JobStatus.Queued));
    }
}
