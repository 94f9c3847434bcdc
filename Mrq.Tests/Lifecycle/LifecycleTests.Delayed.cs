using System.Text.Json.Nodes;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary>Delayed jobs on regular queues: stored as MRQ's delayed retry, started when due (no maintenance poll).</summary>
public sealed partial class LifecycleTests
{
    private static JsonObject AddParams => new() { ["a"] = 2, ["b"] = 3 };

    [Test]
    public async Task Delayed_StoredAsRetryWithDateretry_NotCountedInQueueSize()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock);
        var now = clock.GetUtcNow().UtcDateTime;

        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "later", Delay = TimeSpan.FromSeconds(30) });

        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Retry), "Python MRQ's RequeueRetryJobs moves retry jobs with a due dateretry to queued");
        Assert.That(job.DateRetry, Is.EqualTo(now.AddSeconds(30)).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(job.Queue, Is.EqualTo("later"));
        Assert.That(job.RetryCount, Is.Zero);
        Assert.That(job.DateExpires, Is.GreaterThan(job.DateRetry!.Value), "a delayed job must not expire before it is due");
        Assert.That(await host.Client.GetQueueSizeAsync("later"), Is.Zero);
        Assert.That(await host.Storage.Jobs.NextRetryDateAsync(CancellationToken.None), Is.EqualTo(job.DateRetry));
    }

    [Test]
    public async Task Delayed_WorkerStartsItWhenDue_WithoutAnyFurtherClockMove()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock, o => o.Queues = ["later"]);
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "later", Delay = TimeSpan.FromSeconds(30) });

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.That((await host.Client.GetJobAsync(id))!.Status, Is.EqualTo(JobStatus.Retry), "not due yet");

        // The worker's due timer fires at the due time: no maintenance pass, no real wait.
        clock.Advance(TimeSpan.FromSeconds(1));
        await Wait.ForStatusAsync(host.Client, id, JobStatus.Success);
        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Result!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(job.DateStarted, Is.GreaterThanOrEqualTo(job.DateRetry!.Value));
        await Wait.ForQueueSizeAsync(host.Client, "later", 0);
    }

    [Test]
    public async Task Delayed_RetryTimerOff_StaysRetryUntilRequeueRetryJobs()
    {
        // MRQ's workers never requeue due retries: fleets scheduling RequeueRetryJobs (and MRQ's test suite, which
        // counts runs) rely on a due job waiting for that task.
        var clock = NewClock();
        var host = await StartHostAsync(clock, o =>
        {
            o.Queues = ["later"];
            o.RetryTimer = false;
        });
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "later", Delay = TimeSpan.FromSeconds(30) });

        clock.Advance(TimeSpan.FromSeconds(31));
        // A job queued after the due date runs: the worker is alive and has passed its due date.
        var marker = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "later" });
        await Wait.ForStatusAsync(host.Client, marker, JobStatus.Success);
        clock.Advance(TimeSpan.FromSeconds(5));
        var marker2 = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "later" });
        await Wait.ForStatusAsync(host.Client, marker2, JobStatus.Success);

        Assert.That((await host.Client.GetJobAsync(id))!.Status, Is.EqualTo(JobStatus.Retry), "no timer requeued it");
        Assert.That(await host.Maintenance.RequeueRetryJobsAsync(), Is.EqualTo(1), "still due and waiting for RequeueRetryJobs");
        await Wait.ForStatusAsync(host.Client, id, JobStatus.Success);
    }

    [Test]
    public async Task Delayed_RequeueRetryJobsWhenDue_CountsItInQueueSize()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock);
        var runAt = clock.GetUtcNow().AddMinutes(5);
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "later", RunAt = runAt });

        Assert.That(await host.Maintenance.RequeueRetryJobsAsync(), Is.Zero, "not due yet");
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await host.Maintenance.RequeueRetryJobsAsync(), Is.EqualTo(1));

        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(job.Queue, Is.EqualTo("later"));
        Assert.That(await host.Client.GetQueueSizeAsync("later"), Is.EqualTo(1));
    }

    [Test]
    public async Task Delayed_RunAtInThePastOrZeroDelay_QueuedAtOnce()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock);

        var past = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "now", RunAt = clock.GetUtcNow().AddHours(-1) });
        var zero = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new QueueJobOptions { Queue = "now", Delay = TimeSpan.Zero });

        Assert.That((await host.Client.GetJobAsync(past))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That((await host.Client.GetJobAsync(zero))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(await host.Client.GetQueueSizeAsync("now"), Is.EqualTo(2));
    }

    [Test]
    public async Task Delayed_BadOptions_RefusedWithNothingStored()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock);
        var both = new QueueJobOptions { Queue = "q", Delay = TimeSpan.FromSeconds(1), RunAt = clock.GetUtcNow().AddSeconds(1) };
        var negative = new QueueJobOptions { Queue = "q", Delay = TimeSpan.FromSeconds(-1) };
        var raw = new QueueJobOptions { Queue = "q_raw", Delay = TimeSpan.FromSeconds(1) };

        Assert.ThrowsAsync<ArgumentException>(() => host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, both));
        Assert.ThrowsAsync<ArgumentException>(() => host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, negative));
        Assert.ThrowsAsync<ArgumentException>(() => host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, raw));
        Assert.That(await host.Storage.Jobs.CountAsync(new JobFilter(), CancellationToken.None), Is.Zero);
    }
}
