using System.Text.Json.Nodes;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>§3.1 cases 17–25: raw queues, pause, subqueues, progress, queuesize, strategies, notify, ratelimit.</summary>
public abstract partial class AcceptanceTestBase
{
    private static RawJob RawAdd(string member) => new("tests.tasks.general.Gated", new JsonObject { ["value"] = member });

    private Task<MrqTestHost> StartRawHostAsync(string queue, Action<RawQueueOptions>? raw = null, Action<MrqOptions>? options = null) =>
        StartHostAsync(o => { o.Queues = [queue]; options?.Invoke(o); }, b => b.AddRawQueue(QueueNames(queue), RawAdd, raw));

    private static string QueueNames(string queue) => global::Mrq.Storage.QueueNames.Root(queue);

    private static async Task<IReadOnlyList<JobRecord>> RunBurstAsync(MrqTestHost host)
    {
        var run = host.StartWorker();
        Assert.That(await run.Completion.WaitAsync(Wait.Long), Is.EqualTo(WorkerExitReason.BurstDone));
        return await host.Client.ListJobsAsync(JobFilter.All, limit: 1000);
    }

    [TestCase("test_raw", 4)]
    [TestCase("test_set", 3)]
    public async Task RawQueue_ListKeepsDuplicatesSetDoesNot(string queue, int expectedJobs)
    {
        var host = await StartRawHostAsync(queue, options: o => o.DequeueStrategy = DequeueStrategy.Burst);
        await host.Client.QueueRawJobsAsync(queue, ["aaa", "bbb", "ccc", "bbb"]);
        Assert.That(await host.Client.GetQueueSizeAsync(queue), Is.EqualTo(expectedJobs));

        var jobs = await RunBurstAsync(host);

        Assert.That(jobs, Has.Count.EqualTo(expectedJobs));
        Assert.That(jobs.Select(j => j.Status), Is.All.EqualTo(JobStatus.Success));
        Assert.That(jobs.Select(j => j.Queue), Is.All.EqualTo("default"));
        Assert.That(jobs.Select(j => j.RawQueue), Is.All.EqualTo(queue));
        Assert.That(await host.Client.GetQueueSizeAsync(queue), Is.Zero);
    }

    [Test]
    public async Task RawQueue_Subqueues_ConsumedThroughRootSlash()
    {
        var host = await StartHostAsync(o => { o.Queues = ["test_raw/"]; o.DequeueStrategy = DequeueStrategy.Burst; }, b => b.AddRawQueue("test_raw", RawAdd));
        await host.Client.QueueRawJobsAsync("test_raw/sub1", ["aaa", "bbb"]);
        await host.Client.QueueRawJobsAsync("test_raw/sub2", ["ccc"]);

        var jobs = await RunBurstAsync(host);

        Assert.That(jobs.Select(j => j.RawQueue).Order(), Is.EqualTo(new[] { "test_raw/sub1", "test_raw/sub1", "test_raw/sub2" }));
        Assert.That(jobs.Select(j => j.Status), Is.All.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task RawQueue_Subqueues_ForgottenOnceFoundEmpty()
    {
        var host = await StartHostAsync(o => { o.Queues = ["test_raw/"]; o.DequeueStrategy = DequeueStrategy.Burst; }, b => b.AddRawQueue("test_raw", RawAdd));
        await host.Client.QueueRawJobsAsync("test_raw/sub1", ["aaa"]);
        await host.Client.QueueRawJobsAsync("test_raw/sub2", ["bbb"]);
        Assert.That(await host.Storage.RawQueues.KnownSubqueuesAsync("test_raw", CancellationToken.None), Has.Count.EqualTo(2));

        await RunBurstAsync(host);

        // MRQ's dequeue SREMs a subqueue from P:ksq:<root> when it finds it empty.
        Assert.That(await host.Storage.RawQueues.KnownSubqueuesAsync("test_raw", CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task TimedSet_OnlyDueMembersRunOthersStay()
    {
        var host = await StartRawHostAsync("test_timed_set", options: o => o.DequeueStrategy = DequeueStrategy.Burst);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await host.Client.QueueRawJobsAsync("test_timed_set", new Dictionary<string, double> { ["aaa"] = now - 10, ["bbb"] = now + 3600, ["ccc"] = now + 7200 });

        var jobs = await RunBurstAsync(host);

        Assert.That(jobs.Select(j => (string?)j.Params["value"]), Is.EqualTo(new[] { "aaa" }));
        var left = await host.Client.ListRawJobsAsync("test_timed_set");
        Assert.That(left.Select(i => i.Member), Is.EqualTo(new[] { "bbb", "ccc" }));
    }

    [Test]
    public async Task TimedSet_Pushback_KeepsMembersRescheduled()
    {
        var host = await StartRawHostAsync("test_timed_set", raw => raw.PushbackSeconds = 3600, o => o.DequeueStrategy = DequeueStrategy.Burst);
        await host.Client.QueueRawJobsAsync("test_timed_set", ["aaa", "bbb"]);

        var jobs = await RunBurstAsync(host);

        Assert.That(jobs, Has.Count.EqualTo(2));
        var left = await host.Client.ListRawJobsAsync("test_timed_set");
        Assert.That(left.Select(i => i.Member).Order(), Is.EqualTo(new[] { "aaa", "bbb" }));
        Assert.That(left.Select(i => i.Score), Is.All.GreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3000));
    }

    [Test]
    public async Task SortedSet_ConsumesAllLowestScoreFirst()
    {
        var host = await StartRawHostAsync("test_sorted_set", options: o => o.DequeueStrategy = DequeueStrategy.Burst);
        var log = TestGates.NewName();
        await host.Client.QueueRawJobsAsync("test_sorted_set", new Dictionary<string, double> { ["ccc"] = 3, ["aaa"] = 1, ["bbb"] = 2 });

        var jobs = await RunBurstAsync(host);

        Assert.That(jobs, Has.Count.EqualTo(3));
        Assert.That(jobs.OrderBy(j => j.Id).Select(j => (string?)j.Params["value"]), Is.EqualTo(new[] { "aaa", "bbb", "ccc" }));
        Assert.That(log, Is.Not.Empty);
    }

    [Test]
    public async Task RawQueue_FailureAndRetry_StoredOnRetryQueue()
    {
        var host = await StartHostAsync(o => { o.Queues = ["fail_raw"]; o.DequeueStrategy = DequeueStrategy.Burst; }, b => b.AddRawQueue(
            "fail_raw",
            m => m == "retry"
                ? new RawJob("tests.tasks.general.Retry", new JsonObject { ["delay"] = 0, ["queue"] = "later" })
                : new RawJob("tests.tasks.general.RaiseException", new JsonObject { ["message"] = m }),
            r => r.RetryQueue = "rawretry"));
        await host.Client.QueueRawJobsAsync("fail_raw", ["boom", "retry"]);

        var jobs = await RunBurstAsync(host);

        var failed = jobs.Single(j => j.Status == JobStatus.Failed);
        Assert.That(failed.Queue, Is.EqualTo("rawretry"));
        Assert.That(failed.Traceback, Does.Contain("boom"));
        var retried = jobs.Single(j => j.Path == "tests.tasks.general.Retry");
        Assert.That(retried.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(retried.Queue, Is.EqualTo("later"));
    }

    [Test]
    public async Task RawQueue_RetriedIntoItsRetryQueue_CountedInThatQueuesSize()
    {
        // MRQ's test_raw_retry: a raw job retried with delay 0 is queued on the raw queue's retry_queue, and counted there.
        var host = await StartHostAsync(o => { o.Queues = ["again_raw"]; o.DequeueStrategy = DequeueStrategy.Burst; }, b => b.AddRawQueue(
            "again_raw",
            _ => new RawJob("tests.tasks.general.Retry", new JsonObject { ["delay"] = 0 }),
            r => r.RetryQueue = "againx"));
        await host.Client.QueueRawJobsAsync("again_raw", ["0"]);

        var job = (await RunBurstAsync(host)).Single();

        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(job.Queue, Is.EqualTo("againx"));
        Assert.That(await host.Client.GetQueueSizeAsync("againx"), Is.EqualTo(1));
        Assert.That(await host.Client.GetQueueSizeAsync("again_raw"), Is.Zero);
    }

    [Test]
    public async Task RawQueue_NoStorage_SuccessLeavesNoDocumentFailureDoes()
    {
        var host = await StartHostAsync(o => { o.Queues = ["nostore_raw"]; o.DequeueStrategy = DequeueStrategy.Burst; }, b => b.AddRawQueue(
            "nostore_raw",
            m => m == "ok" ? RawAdd(m) : new RawJob("tests.tasks.general.RaiseException", new JsonObject { ["message"] = m }),
            r => r.StatusesNoStorage = [JobStatus.Started, JobStatus.Success]));
        await host.Client.QueueRawJobsAsync("nostore_raw", ["ok", "bad"]);

        var jobs = await RunBurstAsync(host);

        Assert.That(jobs, Has.Count.EqualTo(1));
        Assert.That(jobs[0].Status, Is.EqualTo(JobStatus.Failed));
    }

    [Test]
    public async Task RawQueue_Remove_ShrinksSize()
    {
        var host = await StartRawHostAsync("test_set");
        await host.Client.QueueRawJobsAsync("test_set", ["aaa", "bbb", "ccc"]);

        Assert.That(await host.Client.RemoveRawJobsAsync("test_set", ["bbb"]), Is.EqualTo(1));

        Assert.That(await host.Client.GetQueueSizeAsync("test_set"), Is.EqualTo(2));
    }

    [Test]
    public async Task Pause_PausedQueueWaitsWhileOtherRunsThenResumeRunsIt()
    {
        var host = await StartHostAsync(o => { o.Queues = ["high", "low"]; o.PausedQueuesRefreshInterval = 0.1; });
        await host.Client.PauseQueueAsync("high");
        Assert.That(await host.Client.IsQueuePausedAsync("high/sub"), Is.True);
        var high = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 }, "high");
        var low = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 2, ["b"] = 2 }, "low");
        host.StartWorker();

        await Wait.ForEndAsync(host.Client, low);
        Assert.That((await host.Client.GetJobAsync(high))!.Status, Is.EqualTo(JobStatus.Queued));

        await host.Client.ResumeQueueAsync("high");
        Assert.That((await Wait.ForEndAsync(host.Client, high)).Status, Is.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task Subqueues_RootSlashConsumesOnlyItsSubqueues()
    {
        var host = await StartHostAsync(o => { o.Queues = ["main/"]; o.SubqueuesRefreshInterval = 0.1; o.DequeueStrategy = DequeueStrategy.Burst; });
        string[] consumed = ["main/", "main/sub", "main/sub/nested"];
        string[] ignored = ["/main", "main_", "main", "other"];
        var ids = new Dictionary<string, JobId>();
        foreach (var queue in consumed.Concat(ignored))
        {
            ids[queue] = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 }, queue);
        }

        await RunBurstAsync(host);

        foreach (var queue in consumed)
        {
            Assert.That((await host.Client.GetJobAsync(ids[queue]))!.Status, Is.EqualTo(JobStatus.Success), queue);
        }

        foreach (var queue in ignored)
        {
            Assert.That((await host.Client.GetJobAsync(ids[queue]))!.Status, Is.EqualTo(JobStatus.Queued), queue);
        }
    }

    [Test]
    public async Task Progress_SavedWhileRunningAndOneOnSuccess()
    {
        var host = await StartHostAsync();
        var gate = TestGates.NewName();
        var started = TestGates.NewName();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Progress", new JsonObject { ["ratio"] = 0.4, ["gate"] = gate, ["started"] = started });
        await TestGates.Gate(started).WaitAsync(Wait.Long);

        await Wait.UntilAsync(async () => (await host.Client.GetJobAsync(id))!.Progress == 0.4, "progress is saved by the worker report");
        Assert.That(await host.Client.GetQueueSizeAsync("default"), Is.EqualTo(1), "a running job counts in its queue size");
        TestGates.Open(gate);

        var job = await Wait.ForEndAsync(host.Client, id);
        Assert.That(job.Progress, Is.EqualTo(1));
        await Wait.ForQueueSizeAsync(host.Client, "default", 0);
    }

    [Test]
    public async Task QueueSize_OneWhileQueuedZeroAfterFailurePlusOneOnRequeue()
    {
        var host = await StartHostAsync();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "x" });
        Assert.That(await host.Client.GetQueueSizeAsync("default"), Is.EqualTo(1));
        var run = host.StartWorker();
        await Wait.ForEndAsync(host.Client, id);
        await run.StopAsync();
        await Wait.ForQueueSizeAsync(host.Client, "default", 0);

        Assert.That(await host.Client.RequeueAsync(id), Is.True);

        await Wait.ForQueueSizeAsync(host.Client, "default", 1);
    }

    [Test]
    public async Task Strategy_Sequential_RunsFirstQueueFirst()
    {
        var host = await StartHostAsync(o => { o.Queues = ["q1", "q2"]; o.DequeueStrategy = DequeueStrategy.Burst; });
        var log = TestGates.NewName();
        await host.Client.QueueJobsAsync("tests.tasks.general.Gated", Enumerable.Range(0, 3).Select(i => new JsonObject { ["value"] = "q2", ["log"] = log }), "q2");
        await host.Client.QueueJobsAsync("tests.tasks.general.Gated", Enumerable.Range(0, 3).Select(i => new JsonObject { ["value"] = "q1", ["log"] = log }), "q1");

        await RunBurstAsync(host);

        Assert.That(TestGates.Entries(log), Is.EqualTo(new[] { "\"q1\"", "\"q1\"", "\"q1\"", "\"q2\"", "\"q2\"", "\"q2\"" }));
    }

    [Test]
    public async Task Strategy_Parallel_InterleavesQueues()
    {
        var host = await StartHostAsync(o => { o.Queues = ["q1", "q2"]; o.DequeueStrategy = DequeueStrategy.Parallel; o.Greenlets = 2; });
        var gate = TestGates.NewName();
        await host.Client.QueueJobsAsync("tests.tasks.general.Gated", Enumerable.Range(0, 3).Select(i => new JsonObject { ["gate"] = gate }), "q1");
        await host.Client.QueueJobsAsync("tests.tasks.general.Gated", Enumerable.Range(0, 3).Select(i => new JsonObject { ["gate"] = gate }), "q2");
        host.StartWorker();

        await Wait.UntilAsync(async () => (await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Started] })).Count == 2, "both greenlets are busy");
        var running = await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Started] });
        TestGates.Open(gate);

        Assert.That(running.Select(j => j.Queue).Order(), Is.EqualTo(new[] { "q1", "q2" }));
    }

    [Test]
    public async Task Notify_IdleWorkerWithLongMaxLatencyPicksUpQuickly()
    {
        var host = await StartHostAsync(o => o.MaxLatency = 600);
        var run = host.StartWorker();
        await Wait.UntilAsync(() => Task.FromResult(run.Worker.Status == "wait"), "the worker is idle");

        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });

        // Without a wake-up the worker would sleep for max_latency (10 minutes) and this wait would time out.
        Assert.That((await Wait.ForEndAsync(host.Client, id)).Status, Is.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task RateLimit_CountsDownToZeroPerWindow()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var key = TestGates.NewName();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.RateLimit", new JsonObject { ["key"] = key, ["limit"] = 10, ["calls"] = 12, ["per"] = 3600 });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Result!.AsArray().Select(n => Tasks.Json.Number(n)), Is.EqualTo(new double?[] { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0 }));
    }
}
