using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>D4, W1, lost claim replies: storage errors never wedge the worker or strand a job.</summary>
public abstract partial class WorkerFaultTestBase
{
    private const int ResultLimit = 1000;

    private static MrqStorageException Permanent(string what) =>
        new($"{what} (test fault).", new InvalidOperationException("BSON document too large"), isPermanent: true);

    [Test]
    public async Task D4_OutcomeRefusedForGood_SavedFailedResultTooLargeAndLaterJobsComplete()
    {
        var faults = new StorageFaults();
        faults.On<IJobStore>(nameof(IJobStore.CompleteAsync))
            .When(a => ((IReadOnlyList<JobOutcome>)a[0]!).Any(o => o.Result?.ToJsonString().Length > ResultLimit))
            .Throws(() => Permanent("Resulting document after update is larger than the limit"));
        var host = await StartHostAsync(faults);
        var big = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = new string('x', ResultLimit * 2) });
        var small = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = i, ["b"] = 1 })));
        var run = host.StartWorker();

        var bigJob = await Wait.ForEndAsync(host.Client, big);
        foreach (var id in small)
        {
            Assert.That((await Wait.ForEndAsync(host.Client, id)).Status, Is.EqualTo(JobStatus.Success));
        }

        var later = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });
        Assert.That((await Wait.ForEndAsync(host.Client, later)).Status, Is.EqualTo(JobStatus.Success));
        await run.StopAsync();
        Assert.That(bigJob.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(bigJob.ExceptionType, Is.EqualTo("ResultTooLarge"));
        Assert.That(bigJob.Traceback, Does.Contain("could not be stored"));
    }

    [Test]
    public async Task D4_LogBatchRefusedForGood_DroppedWithWarningAndOutcomesKeepSaving()
    {
        var faults = new StorageFaults();
        var appends = faults.On<IJobLogStore>(nameof(IJobLogStore.AppendAsync)).Throws(() => Permanent("Log document too large"));
        var log = new CapturingLoggerProvider();
        var host = await StartHostAsync(faults, log: log);
        var run = host.StartWorker();

        var first = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });
        Assert.That((await Wait.ForEndAsync(host.Client, first)).Status, Is.EqualTo(JobStatus.Success));
        var second = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 2, ["b"] = 2 });
        Assert.That((await Wait.ForEndAsync(host.Client, second)).Status, Is.EqualTo(JobStatus.Success));
        await run.StopAsync();

        Assert.That(appends.Hits, Is.GreaterThanOrEqualTo(4), "each batch: tried, then tried truncated");
        Assert.That(log.Contains(LogLevel.Warning, "cannot be stored and were dropped"), Is.True);
    }

    [Test]
    public async Task W1_PausedSetReadFails_QueuesKeepBeingClaimedWithLastKnownSet()
    {
        var faults = new StorageFaults();
        var reads = faults.On<IQueueStateStore>(nameof(IQueueStateStore.GetPausedAsync))
            .Throws(() => new MrqStorageException("Redis at localhost:1 is unreachable (test fault)."));
        var log = new CapturingLoggerProvider();
        var host = await StartHostAsync(faults, o => o.PausedQueuesRefreshInterval = 0.05, log: log);
        var run = host.StartWorker();

        var first = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });
        Assert.That((await Wait.ForEndAsync(host.Client, first)).Status, Is.EqualTo(JobStatus.Success));
        await Wait.UntilAsync(() => Task.FromResult(reads.Hits >= 3), "the paused set was read (and failed) again");
        var second = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 2, ["b"] = 2 });
        Assert.That((await Wait.ForEndAsync(host.Client, second)).Status, Is.EqualTo(JobStatus.Success));
        await run.StopAsync();

        Assert.That(log.Entries.Count(e => e.Message.Contains("Reading the paused queues failed", StringComparison.Ordinal)), Is.EqualTo(1), "logged once per outage");
    }

    [Test]
    public async Task OwnClaims_ClaimReplyLost_JobReleasedToQueuedAndRunsExactlyOnce()
    {
        var faults = new StorageFaults();
        var lost = faults.On<IJobStore>(nameof(IJobStore.ClaimAsync))
            .When(a => ((ClaimRequest)a[0]!).Queue == "default")
            .HalfApplies(() => new MrqStorageException("The claim's reply was lost (test fault)."))
            .OnCall(1);
        var runs = TestGates.NewName();
        var host = await StartHostAsync(faults, o => o.OwnClaimsCheckInterval = 0.2);
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["log"] = runs, ["value"] = 1 });
        var run = host.StartWorker();

        var job = await Wait.ForEndAsync(host.Client, id);
        await run.StopAsync();

        Assert.That(lost.Hits, Is.EqualTo(1));
        Assert.That(job.Status, Is.EqualTo(JobStatus.Success));
        Assert.That(TestGates.Entries(runs), Has.Count.EqualTo(1), "run exactly once");
    }
}
