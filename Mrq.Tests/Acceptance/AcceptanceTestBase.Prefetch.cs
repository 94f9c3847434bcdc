using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>Prefetch: jobs claimed ahead of free greenlets wait their turn, and a stop gives them back.</summary>
public abstract partial class AcceptanceTestBase
{
    [Test]
    public async Task Prefetch_WaitingJobsAreClaimedAndAGracefulStopReleasesThemInOrder()
    {
        var host = await StartHostAsync(o => { o.Greenlets = 1; o.Prefetch = 3; });
        var gate = TestGates.NewName();
        var started = TestGates.NewName();
        var first = await host.Client.QueueJobAsync("tests.tasks.general.Gated", new JsonObject { ["value"] = 0, ["gate"] = gate, ["started"] = started });
        var log = TestGates.NewName();
        var rest = await host.Client.QueueJobsAsync("tests.tasks.general.Gated", Enumerable.Range(1, 4).Select(i => new JsonObject { ["value"] = i, ["log"] = log }));
        var before = await host.Client.ListJobsAsync(JobFilter.All, limit: 10);
        var run = host.StartWorker();
        await TestGates.Gate(started).WaitAsync(Wait.Long);

        // One greenlet runs the first job; three more are claimed for this worker and wait; the fifth is not claimed.
        await Wait.UntilAsync(async () => (await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Started] })).Count == 4, "greenlets + prefetch jobs are claimed");
        var claimed = await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Started] });
        Assert.That(claimed.Select(j => j.Id), Is.EquivalentTo(new[] { first, rest[0], rest[1], rest[2] }));
        Assert.That(claimed.Select(j => j.Worker), Is.All.EqualTo(run.Worker.Id));

        var stopping = run.StopAsync();
        TestGates.Open(gate);
        Assert.That(await stopping, Is.EqualTo(WorkerExitReason.Stopped));

        Assert.That((await host.Client.GetJobAsync(first))!.Status, Is.EqualTo(JobStatus.Success));
        var after = await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Queued] }, limit: 10);
        Assert.That(after.Select(j => j.Id), Is.EquivalentTo(rest), "prefetched jobs are released, never run");
        foreach (var job in after)
        {
            Assert.That(job.DateQueued, Is.EqualTo(before.Single(b => b.Id == job.Id).DateQueued), "a released job keeps its place");
        }

        Assert.That(await host.Client.GetQueueSizeAsync("default"), Is.EqualTo(4));
        Assert.That(TestGates.Entries(log), Is.Empty);
        var next = host.StartWorker();
        foreach (var id in rest)
        {
            Assert.That((await Wait.ForEndAsync(host.Client, id)).Status, Is.EqualTo(JobStatus.Success));
        }

        Assert.That(TestGates.Entries(log), Is.EqualTo(new[] { "1", "2", "3", "4" }), "released jobs run in their original order");
        await next.StopAsync();
    }
}
