using Mrq.DependencyInjection;
using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>§3.1 cases 5–8: retry, RequeueRetryJobs, max_retries, traceback_history.</summary>
public abstract partial class AcceptanceTestBase
{
    [Test]
    public async Task Retry_WithDelay_SavedRetryOnTargetQueue()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Retry", new JsonObject { ["delay"] = 60, ["queue"] = "noexec" });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Retry), job.Traceback);
        Assert.That(job.Queue, Is.EqualTo("noexec"));
        Assert.That(job.DateRetry, Is.GreaterThan(DateTime.UtcNow.AddSeconds(30)));
        Assert.That(job.DateExpires, Is.EqualTo(job.DateQueued + TimeSpan.FromSeconds(host.Options.DefaultJobTtl)).Within(TimeSpan.FromSeconds(1)));
        Assert.That(job.Result, Is.Null);
        Assert.That(job.RetryCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Retry_ZeroDelay_QueuedAtOnceOnTargetQueue()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Retry", new JsonObject { ["delay"] = 0, ["queue"] = "noexec" });

        await Wait.UntilAsync(async () => (await host.Client.GetJobAsync(id))!.Queue == "noexec", "the job moved to noexec");
        var job = (await host.Client.GetJobAsync(id))!;

        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(await host.Client.GetQueueSizeAsync("noexec"), Is.EqualTo(1));
    }

    [Test]
    public async Task Retry_SwallowedInterrupt_StillRetried()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Retry", new JsonObject { ["delay"] = 60, ["swallow"] = true });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Retry), job.Traceback);
    }

    [Test]
    public async Task RequeueRetryJobs_DueOnly_RequeuesOnRetryQueue()
    {
        var host = await StartHostAsync();
        var run = host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Retry", new JsonObject { ["delay"] = 1, ["queue"] = "noexec" });
        await Wait.ForStatusAsync(host.Client, id, JobStatus.Retry);
        await run.StopAsync();
        var retryAt = (await host.Client.GetJobAsync(id))!.DateRetry!.Value;

        if (DateTime.UtcNow < retryAt)
        {
            Assert.That(await host.Maintenance.RequeueRetryJobsAsync(), Is.Zero, "not due yet");
        }

        await Wait.UntilAsync(() => Task.FromResult(DateTime.UtcNow > retryAt), "the retry is due");
        Assert.That(await host.Maintenance.RequeueRetryJobsAsync(), Is.EqualTo(1));
        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(job.Queue, Is.EqualTo("noexec"));
        Assert.That(job.RetryCount, Is.EqualTo(1));
    }

    [Test]
    public async Task MaxRetries_One_SecondRetryEndsMaxretriesThenRequeueResetsCount()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Retry", new JsonObject { ["delay"] = 0, ["max_retries"] = 1 });

        await Wait.ForStatusAsync(host.Client, id, JobStatus.MaxRetries);
        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.RetryCount, Is.EqualTo(1));
        Assert.That(job.TracebackHistory, Has.Count.EqualTo(2));

        Assert.That(await host.Client.RequeueJobsAsync(new JobFilter { Ids = [id] }, "noexec"), Is.EqualTo(1));
        job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(job.Queue, Is.EqualTo("noexec"));
        Assert.That(job.RetryCount, Is.Zero);
    }

    [Test]
    public async Task MaxRetries_Zero_EndsMaxretriesImmediately()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Retry", new JsonObject { ["delay"] = 0, ["max_retries"] = 0 });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.MaxRetries));
        Assert.That(job.RetryCount, Is.Zero);
    }

    [Test]
    public async Task TracebackHistory_NestedException_KeepsOriginalTraceback()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var plain = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "plain" });
        var nested = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "outer", ["nested"] = true });

        var plainJob = await Wait.ForEndAsync(host.Client, plain);
        var nestedJob = await Wait.ForEndAsync(host.Client, nested);

        Assert.That(plainJob.TracebackHistory.Single().OriginalTraceback, Is.Null);
        var entry = nestedJob.TracebackHistory.Single();
        Assert.That(entry.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(entry.ExceptionType, Is.EqualTo("InvalidDataException"));
        Assert.That(entry.OriginalTraceback, Does.Contain("original outer"));
        Assert.That(entry.Worker, Is.EqualTo(nestedJob.Worker));
    }

    [Test]
    public async Task Maintenance_DeletesJobsPastTheirResultTtlOnly()
    {
        var host = await StartHostAsync(configure: b => b.Configure(o =>
            o.Tasks["tests.tasks.general.Add"] = new Configuration.TaskOptions { ResultTtl = 0 }));
        host.StartWorker();
        var expiring = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });
        var kept = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 1 });
        await Wait.ForEndAsync(host.Client, expiring);
        await Wait.ForEndAsync(host.Client, kept);

        var result = await host.Maintenance.RunAllAsync();

        Assert.That(result.ExpiredDeleted, Is.EqualTo(1));
        Assert.That(await host.Client.GetJobAsync(expiring), Is.Null);
        Assert.That((await host.Client.GetJobAsync(kept))!.Status, Is.EqualTo(JobStatus.Success));
    }
}
