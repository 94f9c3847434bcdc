using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>D3, R5: max_concurrency lock errors never strand a job; the lock covers an abandoned task's code.</summary>
public abstract partial class WorkerFaultTestBase
{
    private static MrqStorageException LockStoreDown() => new("Redis at localhost:1 is unreachable (test fault).");

    [Test]
    public async Task D3_LockAcquireFails_JobIsReleasedToQueuedThenRuns()
    {
        var faults = new StorageFaults();
        var acquire = faults.On<ILockStore>(nameof(ILockStore.TryAcquireAsync)).Throws(LockStoreDown).Times(1);
        var log = new CapturingLoggerProvider();
        var host = await StartHostAsync(faults, log: log);
        var id = await host.Client.QueueJobAsync("tests.tasks.general.LockedGated");
        var run = host.StartWorker();

        var job = await Wait.ForEndAsync(host.Client, id);
        await run.StopAsync();

        Assert.That(job.Status, Is.EqualTo(JobStatus.Success), "released, claimed again and run once the lock store answers");
        Assert.That(acquire.Hits, Is.EqualTo(1));
        Assert.That(log.Contains(LogLevel.Warning, "is released to queued"), Is.True);
    }

    [Test]
    public async Task D3_LockReleaseFails_OutcomeIsStillSaved()
    {
        var faults = new StorageFaults();
        var release = faults.On<ILockStore>(nameof(ILockStore.ReleaseAsync)).Throws(LockStoreDown);
        var host = await StartHostAsync(faults);
        var id = await host.Client.QueueJobAsync("tests.tasks.general.LockedGated");
        var run = host.StartWorker();

        var job = await Wait.ForEndAsync(host.Client, id);
        await run.StopAsync();

        Assert.That(job.Status, Is.EqualTo(JobStatus.Success));
        Assert.That(release.Hits, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task R5_AbandonedTaskKeepsItsMaxConcurrencyLockUntilItsCodeEnds()
    {
        var faults = new StorageFaults();
        var extended = faults.On<ILockStore>(nameof(ILockStore.ExtendAsync)).AfterCall((_, _) => { });
        // FirstHit marks the call's start; the third job must only be queued once the release has really happened.
        var releaseDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = faults.On<ILockStore>(nameof(ILockStore.ReleaseAsync)).AfterCall((_, _) => releaseDone.TrySetResult());
        var host = await StartHostAsync(faults, o => { o.Greenlets = 2; o.AbandonGrace = 0.1; });
        var gate = TestGates.NewName();
        var run = host.StartWorker();

        var first = await host.Client.QueueJobAsync("tests.faults.StubbornLocked", new JsonObject { ["gate"] = gate });
        Assert.That((await Wait.ForEndAsync(host.Client, first)).Status, Is.EqualTo(JobStatus.Timeout));
        await extended.FirstHit.WaitAsync(Wait.Long);
        var second = await host.Client.QueueJobAsync("tests.faults.StubbornLocked", new JsonObject { ["gate"] = gate });
        Assert.That((await Wait.ForEndAsync(host.Client, second)).Status, Is.EqualTo(JobStatus.MaxConcurrency),
            "the first job's code still runs, so its lock is still held");
        Assert.That(released.Hits, Is.Zero);

        TestGates.Open(gate);
        await releaseDone.Task.WaitAsync(Wait.Long);
        var third = await host.Client.QueueJobAsync("tests.faults.StubbornLocked");
        Assert.That((await Wait.ForEndAsync(host.Client, third)).Status, Is.EqualTo(JobStatus.Success), "the lock is free once that code ended");
        await run.StopAsync();
    }
}
