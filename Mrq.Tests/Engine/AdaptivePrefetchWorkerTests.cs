using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>
/// The default (adaptive) prefetch on a real worker: long jobs are never claimed ahead, short jobs are, and a stop
/// releases what was claimed ahead. Run times are measured on a fake clock, so nothing depends on this machine's speed.
/// </summary>
[TestFixture]
[Category("inmemory")]
public sealed class AdaptivePrefetchWorkerTests
{
    private const string Gated = "tests.tasks.general.Gated";
    private readonly List<MrqTestHost> _hosts = [];

    [TearDown]
    public async Task DisposeHostsAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _hosts.Clear();
    }

    [Test]
    public async Task FreshWorker_AllGreenletsRunLongJobs_TheNextJobStaysQueued()
    {
        var host = await StartHostAsync(o => o.Greenlets = 2);
        var (gate, started) = (TestGates.NewName(), new[] { TestGates.NewName(), TestGates.NewName() });
        var ids = await host.Client.QueueJobsAsync(Gated, [
            new JsonObject { ["value"] = 1, ["gate"] = gate, ["started"] = started[0] },
            new JsonObject { ["value"] = 2, ["gate"] = gate, ["started"] = started[1] },
            new JsonObject { ["value"] = 3 }]);
        await using var run = Start(host, out var worker, clock: null);
        await TestGates.Gate(started[0]).WaitAsync(Wait.Long);
        await TestGates.Gate(started[1]).WaitAsync(Wait.Long);

        await Wait.UntilAsync(() => Task.FromResult(worker.Window is { Waits: > 0 }), "the fetch loop finds its window full");
        Assert.That(worker.Window!.InFlight, Is.EqualTo(2), "only the running jobs are claimed");
        Assert.That((await host.Client.GetJobAsync(ids[2]))!.Status, Is.EqualTo(JobStatus.Queued), "no run time known yet: nothing is claimed ahead");

        TestGates.Open(gate);
        Assert.That((await Wait.ForEndAsync(host.Client, ids[2])).Status, Is.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task AfterShortJobs_ClaimsAheadGrow_AndStopOnceAllGreenletsRunLongJobs()
    {
        var clock = NewClock();
        var host = await StartHostAsync(o => { o.Greenlets = 2; o.MaxLatency = 60; });
        await using var run = Start(host, out var worker, clock);
        await RunShortJobsAsync(host, worker, 20);
        Assert.That(worker.Window!.Size, Is.EqualTo(2 + ClaimAheadPolicy.AdaptiveCap), "short jobs (the fake clock did not move while they ran) are claimed ahead");

        var passes = worker.EmptyClaimPasses;
        var (gate, started) = (TestGates.NewName(), new[] { TestGates.NewName(), TestGates.NewName() });
        await host.Client.QueueJobsAsync(Gated, [
            new JsonObject { ["value"] = 1, ["gate"] = gate, ["started"] = started[0] },
            new JsonObject { ["value"] = 2, ["gate"] = gate, ["started"] = started[1] }]);
        await TestGates.Gate(started[0]).WaitAsync(Wait.Long);
        await TestGates.Gate(started[1]).WaitAsync(Wait.Long);
        await Wait.UntilAsync(() => Task.FromResult(worker.EmptyClaimPasses > passes), "the fetch loop found nothing more and waits for a notification");

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(worker.Window.Size, Is.EqualTo(2), "both greenlets run jobs far past their usual time: nothing is claimed ahead");
        var waits = worker.Window.Waits;
        var next = await host.Client.QueueJobAsync(Gated, new JsonObject { ["value"] = 3 });
        await Wait.UntilAsync(() => Task.FromResult(worker.Window.Waits > waits), "the woken fetch loop finds its window full");
        Assert.That((await host.Client.GetJobAsync(next))!.Status, Is.EqualTo(JobStatus.Queued), "a job stays queued while all greenlets run long jobs");

        TestGates.Open(gate);
        Assert.That((await Wait.ForEndAsync(host.Client, next)).Status, Is.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task AfterShortJobs_AGracefulStopReleasesTheJobsClaimedAhead_KeepingTheirPlace()
    {
        var clock = NewClock();
        var host = await StartHostAsync(o => o.Greenlets = 1);
        var run = Start(host, out var worker, clock);
        await using (run)
        {
            await RunShortJobsAsync(host, worker, 10);
            Assert.That(worker.Window!.Size, Is.GreaterThan(4));

            var (gate, started, log) = (TestGates.NewName(), TestGates.NewName(), TestGates.NewName());
            var ids = await host.Client.QueueJobsAsync(Gated, [
                new JsonObject { ["value"] = 0, ["gate"] = gate, ["started"] = started },
                .. Enumerable.Range(1, 3).Select(i => new JsonObject { ["value"] = i, ["log"] = log })]);
            var before = await host.Client.ListJobsAsync(new JobFilter { Ids = ids });
            await TestGates.Gate(started).WaitAsync(Wait.Long);
            await Wait.UntilAsync(async () => (await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Started] })).Count == 4,
                "the three jobs queued after the running one are claimed ahead");

            var stopping = run.StopAsync();
            TestGates.Open(gate);
            Assert.That(await stopping, Is.EqualTo(WorkerExitReason.Stopped));

            Assert.That((await host.Client.GetJobAsync(ids[0]))!.Status, Is.EqualTo(JobStatus.Success));
            var after = await host.Client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Queued] });
            Assert.That(after.Select(j => j.Id), Is.EquivalentTo(ids.Skip(1)), "jobs claimed ahead are released, never run");
            foreach (var job in after)
            {
                Assert.That(job.DateQueued, Is.EqualTo(before.Single(b => b.Id == job.Id).DateQueued), "a released job keeps its place");
            }

            Assert.That(TestGates.Entries(log), Is.Empty);
            Assert.That(await host.Client.GetQueueSizeAsync("default"), Is.EqualTo(3));
        }
    }

    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));

    private async Task<MrqTestHost> StartHostAsync(Action<MrqOptions> options)
    {
        var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), options: options);
        _hosts.Add(host);
        Assert.That(host.Options.Prefetch, Is.Null, "these tests run the default prefetch");
        return host;
    }

    /// <summary>A worker whose claims ahead are judged on <paramref name="clock"/> (the worker's own clock when null).</summary>
    private static WorkerRun Start(MrqTestHost host, out Worker worker, FakeTimeProvider? clock)
    {
        worker = (Worker)host.Services.GetRequiredService<IMrqWorkerFactory>().Create();
        worker.ClaimAheadClock = clock;
        return new WorkerRun(worker);
    }

    private static async Task RunShortJobsAsync(MrqTestHost host, Worker worker, int count)
    {
        var ids = await host.Client.QueueJobsAsync(Gated, Enumerable.Range(0, count).Select(i => new JsonObject { ["value"] = i }));
        foreach (var id in ids)
        {
            Assert.That((await Wait.ForEndAsync(host.Client, id)).Status, Is.EqualTo(JobStatus.Success));
        }

        using var idle = new CancellationTokenSource(Wait.Long);
        await worker.WaitForIdleAsync(idle.Token);
    }
}
