using System.Text.Json.Nodes;
using Mrq.Cli.Supervisor;
using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// <c>mrq worker</c> as a real process and MRQ's signal contract: SIGINT finishes the running job and claims nothing
/// more; SIGTERM or a second SIGINT interrupts it; SIGKILL saves nothing, and the next worker on the file runs the job.
/// The running job is <c>samples.WaitForFile</c>: it announces its start with a marker file and ends when the test
/// creates the file it waits for, so no step depends on timing.
/// </summary>
[TestFixture]
[Category("process")]
public sealed class WorkerSignalTests : ProcessTestBase
{
    [Test]
    public async Task Worker_Sigint_FinishesRunningJobAndLeavesLaterJobsQueued()
    {
        var release = PathOf("release");
        var running = await Db.QueueAsync("samples.WaitForFile", new JsonObject { ["path"] = release });
        var later = new[]
        {
            await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = 1, ["b"] = 2 }),
            await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = 3, ["b"] = 4 }),
        };
        var worker = Start("worker", "--storage", Db.Path, "--tasks", SamplesDll);
        await worker.WaitForFileAsync(release + ".started");

        worker.Signal(NativeSignals.SigInt);
        await worker.WaitForStderrAsync("SIGINT: stopping");
        await File.WriteAllTextAsync(release, "go");
        var result = await worker.WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var job = await Db.GetAsync(running);
        Assert.That(job.Status, Is.EqualTo(JobStatus.Success), result.ToString());
        Assert.That(job.Result?["waited"], Is.Not.Null);
        foreach (var id in later)
        {
            Assert.That((await Db.GetAsync(id)).Status, Is.EqualTo(JobStatus.Queued), $"job {id} must not be claimed after SIGINT");
        }
    }

    [Test]
    public async Task Worker_Sigterm_InterruptsRunningJob()
    {
        var release = PathOf("release");
        var running = await Db.QueueAsync("samples.WaitForFile", new JsonObject { ["path"] = release });
        var worker = Start("worker", "--storage", Db.Path, "--tasks", SamplesDll);
        await worker.WaitForFileAsync(release + ".started");

        worker.Signal(NativeSignals.SigTerm);
        var result = await worker.WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That((await Db.GetAsync(running)).Status, Is.EqualTo(JobStatus.Interrupt), result.ToString());
    }

    [Test]
    public async Task Worker_SecondSigint_InterruptsRunningJob()
    {
        var release = PathOf("release");
        var running = await Db.QueueAsync("samples.WaitForFile", new JsonObject { ["path"] = release });
        var worker = Start("worker", "--storage", Db.Path, "--tasks", SamplesDll);
        await worker.WaitForFileAsync(release + ".started");

        worker.Signal(NativeSignals.SigInt);
        await worker.WaitForStderrAsync("SIGINT: stopping");
        worker.Signal(NativeSignals.SigInt);
        var result = await worker.WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stderr, Does.Contain("Second SIGINT"));
        Assert.That((await Db.GetAsync(running)).Status, Is.EqualTo(JobStatus.Interrupt), result.ToString());
    }

    [Test]
    public async Task Worker_Sigkill_LeavesJobUnfinishedAndNextWorkerRunsIt()
    {
        var release = PathOf("release");
        var running = await Db.QueueAsync("samples.WaitForFile", new JsonObject { ["path"] = release });
        var worker = Start("worker", "--storage", Db.Path, "--tasks", SamplesDll);
        await worker.WaitForFileAsync(release + ".started");

        worker.Kill();
        var killed = await worker.WaitForExitAsync();
        Assert.That(killed.ExitCode, Is.Not.EqualTo(0));

        // MRQ leaves a killed worker's job started. The LiteDB backend keeps claims in memory (the file is exclusive to
        // the worker's process, and reopening it requeues started jobs anyway), so on disk the job is still queued.
        Assert.That(Db.ReadStatusWithoutRecovery(running), Is.AnyOf("started", "queued"), "a killed worker finishes nothing");

        await File.WriteAllTextAsync(release, "go");
        var next = await RunAsync("worker", "--storage", Db.Path, "--tasks", SamplesDll, "--dequeue-strategy", "burst");

        Assert.That(next.ExitCode, Is.EqualTo(0), next.ToString());
        Assert.That((await Db.GetAsync(running)).Status, Is.EqualTo(JobStatus.Success), next.ToString());
    }
}
