using System.Text.Json.Nodes;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>D1, D2: a stop never strands or drops a job claimed or popped before it.</summary>
public abstract partial class WorkerFaultTestBase
{
    private const string NoStorageRaw = "nostore_raw";

    /// <summary>A raw queue whose started status is not stored: its jobs exist only as popped members until they end.</summary>
    private static void AddNoStorageRawQueue(IMrqBuilder builder, string gate) => builder.AddRawQueue(
        NoStorageRaw,
        m => new RawJob("tests.tasks.general.Gated", new JsonObject { ["value"] = m, ["gate"] = gate, ["started"] = gate + m, ["log"] = gate }),
        r => r.StatusesNoStorage = [JobStatus.Started]);

    /// <summary>Makes a claim on <paramref name="queue"/> behave like the network stores: it throws once stop is requested.</summary>
    private static void ClaimsOnQueueObserveStop(StorageFaults faults, string queue) =>
        faults.On<IJobStore>(nameof(IJobStore.ClaimAsync))
            .When(a => ((ClaimRequest)a[0]!).Queue == queue)
            .BeforeCall(a => ((CancellationToken)a[1]!).ThrowIfCancellationRequested());

    [Test]
    public async Task D1_SigintDuringMultiQueueClaimRound_JobClaimedEarlierInRoundForAFreeGreenletRuns()
    {
        var (host, id, run) = await StopDuringMultiQueueClaimRoundAsync(abort: false);

        Assert.That(await run.WaitAsync(Wait.Long), Is.EqualTo(WorkerExitReason.Stopped));
        var job = await host.Client.GetJobAsync(id);
        Assert.That(job!.Status, Is.EqualTo(JobStatus.Success), "a graceful stop runs what was claimed for a free greenlet, as MRQ runs what it dequeued");
        Assert.That(job.Result?.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task D1_SigtermDuringMultiQueueClaimRound_JobClaimedEarlierInRoundIsReleasedToQueued()
    {
        var (host, id, run) = await StopDuringMultiQueueClaimRoundAsync(abort: true);

        await run.WaitAsync(Wait.Long);
        var job = await host.Client.GetJobAsync(id);
        Assert.That(job!.Status, Is.EqualTo(JobStatus.Queued), "a job claimed before the abort must go back to queued, not stay started");
        var next = host.StartWorker();
        Assert.That((await Wait.ForEndAsync(host.Client, id)).Status, Is.EqualTo(JobStatus.Success));
        await next.StopAsync();
    }

    /// <summary>A worker on queues a and b whose stop (or abort) fires right after the claim on a returned a job, while the round goes on to b.</summary>
    private async Task<(MrqTestHost Host, JobId Id, Task<WorkerExitReason> Run)> StopDuringMultiQueueClaimRoundAsync(bool abort)
    {
        var faults = new StorageFaults();
        CancellationTokenSource? signal = null;
        faults.On<IJobStore>(nameof(IJobStore.ClaimAsync))
            .When(a => ((ClaimRequest)a[0]!).Queue == "a")
            .AfterCall((_, result) =>
            {
                if (((IReadOnlyList<JobRecord>)result!).Count > 0)
                {
                    signal!.Cancel();
                }
            });
        ClaimsOnQueueObserveStop(faults, "b");
        var host = await StartHostAsync(faults, o => o.Queues = ["a", "b"]);
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 }, "a");
        var (run, stop, abortSource) = StartControlledWorker(host);
        signal = abort ? abortSource : stop;
        return (host, id, run);
    }

    [Test]
    public async Task D1_SigtermDuringClaimRound_RawJobWithStartedNotStoredIsPushedBack()
    {
        var gate = TestGates.NewName();
        var (host, run) = await StopDuringRawClaimRoundAsync(gate, abort: true);

        await run.WaitAsync(Wait.Long);

        Assert.That(await host.Client.GetQueueSizeAsync(NoStorageRaw), Is.EqualTo(1), "the popped member must be back in its raw queue");
        Assert.That(TestGates.Entries(gate), Is.Empty, "the job did not run");
    }

    [Test]
    public async Task D1_SigintDuringClaimRound_RawJobWithStartedNotStoredRunsAndIsNotPushedBack()
    {
        var gate = TestGates.NewName();
        var (host, run) = await StopDuringRawClaimRoundAsync(gate, abort: false);

        await TestGates.Gate(gate + "m1").WaitAsync(Wait.Long);
        TestGates.Open(gate);

        Assert.That(await run.WaitAsync(Wait.Long), Is.EqualTo(WorkerExitReason.Stopped));
        Assert.That(TestGates.Entries(gate), Is.EqualTo(new[] { "\"m1\"" }), "the job ran once");
        Assert.That(await host.Client.GetQueueSizeAsync(NoStorageRaw), Is.Zero, "a member that ran is not pushed back");
    }

    private async Task<(MrqTestHost Host, Task<WorkerExitReason> Run)> StopDuringRawClaimRoundAsync(string gate, bool abort)
    {
        var faults = new StorageFaults();
        CancellationTokenSource? signal = null;
        faults.On<IRawQueueStore>(nameof(IRawQueueStore.PopAsync))
            .AfterCall((_, result) =>
            {
                if (((IReadOnlyList<string>)result!).Count > 0)
                {
                    signal!.Cancel();
                }
            });
        ClaimsOnQueueObserveStop(faults, "b");
        var host = await StartHostAsync(faults, o => o.Queues = [NoStorageRaw, "b"], b => AddNoStorageRawQueue(b, gate));
        await host.Client.QueueRawJobsAsync(NoStorageRaw, ["m1"]);
        var (run, stop, abortSource) = StartControlledWorker(host);
        signal = abort ? abortSource : stop;
        return (host, run);
    }

    [Test]
    public async Task D2_GracefulStop_PrefetchedNoStorageRawJobsArePushedBack()
    {
        var faults = new StorageFaults();
        var gate = TestGates.NewName();
        var host = await StartHostAsync(faults, o => { o.Queues = [NoStorageRaw]; o.Greenlets = 1; o.Prefetch = 3; }, b => AddNoStorageRawQueue(b, gate));
        await host.Client.QueueRawJobsAsync(NoStorageRaw, ["m1", "m2", "m3", "m4"]);
        var run = host.StartWorker();
        await TestGates.Gate(gate + "m1").WaitAsync(Wait.Long);
        await Wait.UntilAsync(async () => await host.Client.GetQueueSizeAsync(NoStorageRaw) == 0, "the worker prefetched the other members");

        var stopped = run.StopAsync();
        TestGates.Open(gate);
        Assert.That(await stopped, Is.EqualTo(WorkerExitReason.Stopped));

        Assert.That(TestGates.Entries(gate), Is.EqualTo(new[] { "\"m1\"" }), "only the running job ran");
        var members = await host.Client.ListRawJobsAsync(NoStorageRaw);
        Assert.That(members.Select(m => m.Member), Is.EquivalentTo(new[] { "m2", "m3", "m4" }), "prefetched members go back to the raw queue");
    }
}
