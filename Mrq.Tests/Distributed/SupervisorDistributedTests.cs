using System.Globalization;
using System.Text.RegularExpressions;
using Mrq.Cli.Supervisor;
using Mrq.Jobs;
using Mrq.Tests.Process;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Distributed;

/// <summary>
/// <c>mrq worker --processes 2</c> in distributed mode (issue 3 item 4): two child workers share the queue, a child
/// killed with SIGKILL is respawned and works again, and SIGINT to the supervisor lets running jobs finish in every
/// child, then exits 0. Each child runs one job at a time (<c>--greenlets 1</c>), so two blocking jobs running at
/// once are necessarily in two different children.
/// </summary>
[TestFixture]
[Category("distributed")]
public sealed partial class SupervisorDistributedTests
{
    private DistributedCluster _cluster = null!;

    [SetUp]
    public async Task SetUpAsync() => _cluster = await DistributedCluster.CreateAsync();

    [TearDown]
    public async Task TearDownAsync()
    {
        // Null when the set-up was ignored (no server).
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null!;
        }
    }

    [GeneratedRegex(@"Worker process (\d+) started \(pid (\d+)\)")]
    private static partial Regex ChildStarted();

    /// <summary>The children started so far, as (slot, pid), from the supervisor's log.</summary>
    private static List<(int Slot, int Pid)> Children(MrqCliProcess supervisor) =>
        ChildStarted().Matches(supervisor.Stderr)
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>Queues two blocking jobs and waits until both run; returns their ids and the pids running them.</summary>
    private async Task<(IReadOnlyList<JobId> Ids, int[] Pids)> RunTwoBlockingJobsAsync(string release, string tag)
    {
        var ids = await _cluster.Host.Client.QueueJobsAsync(BlockTask.Path, [_cluster.BlockParams(release, tag), _cluster.BlockParams(release, tag)], _cluster.Queue);
        var executions = await _cluster.WaitForExecutionsAsync(e => e.Count(x => x.Tag == tag) == 2, $"both '{tag}' jobs run");
        var pids = executions.Where(e => e.Tag == tag).Select(e => e.Pid).ToArray();
        return (ids, pids);
    }

    [Test]
    public async Task Processes_Two_BothWorkChildKilledIsRespawnedAndSigintLetsRunningJobsFinish()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        var supervisor = _cluster.StartWorker("--processes", "2", "--greenlets", "1", _cluster.Queue);

        // 1. Both children do work: two blocking jobs run at once, one per child.
        var (first, firstPids) = await RunTwoBlockingJobsAsync("release-1", "first");
        var children = Children(supervisor);
        Assert.That(children.Select(c => c.Pid), Is.Unique);
        Assert.That(children, Has.Count.EqualTo(2), supervisor.Describe());
        Assert.That(firstPids, Is.EquivalentTo(children.Select(c => c.Pid)), "each child runs one of the two jobs");
        _cluster.Release("release-1");
        foreach (var id in first)
        {
            Assert.That((await Support.Wait.ForEndAsync(_cluster.Host.Client, id)).Status, Is.EqualTo(JobStatus.Success));
        }

        // 2. SIGKILL one (idle) child: the supervisor starts another in its slot.
        var (killedSlot, killedPid) = children[0];
        var survivor = children[1].Pid;
        using (var child = System.Diagnostics.Process.GetProcessById(killedPid))
        {
            child.Kill();
        }

        await supervisor.WaitUntilAsync(
            () => Children(supervisor).Any(c => c.Slot == killedSlot && c.Pid != killedPid),
            $"worker process {killedSlot} (pid {killedPid}) is respawned");
        var respawned = Children(supervisor).Last(c => c.Slot == killedSlot).Pid;
        Assert.That(supervisor.Stderr, Does.Contain($"Worker process {killedSlot} (pid {killedPid}) exited with code"));

        // 3. The respawned child works: two blocking jobs run in the survivor and the new child.
        var (second, secondPids) = await RunTwoBlockingJobsAsync("release-2", "second");
        Assert.That(secondPids, Is.EquivalentTo(new[] { survivor, respawned }));

        // 4. SIGINT to the supervisor while both jobs run: forwarded to both children, which finish their jobs and exit.
        supervisor.Signal(NativeSignals.SigInt);
        await supervisor.WaitForStderrAsync($"Sent SIGINT to worker process {survivor}.");
        await supervisor.WaitForStderrAsync($"Sent SIGINT to worker process {respawned}.");
        _cluster.Release("release-2");
        var result = await supervisor.WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stderr, Does.Contain("All worker processes have ended."));
        Assert.That(result.Stderr, Does.Contain($"Worker process {killedSlot} (pid {respawned}) exited with code 0"));
        Assert.That(Children(supervisor), Has.Count.EqualTo(3), "no child was started after the SIGINT");
        foreach (var id in second)
        {
            var job = await _cluster.Host.Client.GetJobAsync(id);
            Assert.That(job!.Status, Is.EqualTo(JobStatus.Success), result.ToString());
            Assert.That(int.Parse(job.Result!.ToJsonString(), CultureInfo.InvariantCulture), Is.AnyOf(survivor, respawned), "the job's result is the pid that ran it");
        }

        Assert.That(ExecutionRecords.CountByJob(_cluster.Executions()).Values, Is.All.EqualTo(1), "no job ran twice");
        foreach (var pid in new[] { survivor, respawned })
        {
            Assert.That(IsRunning(pid), Is.False, $"child {pid} has exited");
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
