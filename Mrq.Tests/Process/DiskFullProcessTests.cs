using System.Diagnostics;
using System.Text.Json.Nodes;
using Mrq.Cli.Supervisor;
using Mrq.Jobs;
using Mrq.Tests.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// A real <c>mrq worker</c> on a LiteDB file in a 2 MB tmpfs that the test fills up: the worker says "no space left
/// on device" naming the file, keeps what was saved, finishes its jobs by itself once space is freed, and obeys
/// SIGTERM while it cannot write. Before, the first failed commit left LiteDB unusable ("page must be writable")
/// until a restart. Needs root (mount); ignored otherwise.
/// </summary>
[TestFixture]
[Category("process")]
[Category("litedb")]
public sealed class DiskFullProcessTests : ProcessTestBase
{
    // abort_timeout (10 s by default) plus room for a loaded machine to end the process.
    private static readonly TimeSpan s_exitBound = TimeSpan.FromSeconds(10 + 12);

    private string _mount = "";
    private bool _mounted;
    private JobsDatabase _db = null!;

    [SetUp]
    public async Task MountSmallDiskAsync()
    {
        _mount = PathOf("disk");
        System.IO.Directory.CreateDirectory(_mount);
        _mounted = await Mounts.RunAsync("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", _mount);
        if (!_mounted)
        {
            Assert.Ignore("mounting a 2 MB tmpfs is not permitted here (needs root)");
        }

        _db = new JobsDatabase(Path.Combine(_mount, "jobs.db"));
    }

    [TearDown]
    public async Task UnmountAsync()
    {
        if (_mounted)
        {
            // Lazy: a process the base class has not killed yet may still hold the file.
            await Mounts.RunAsync("umount", "-l", _mount);
        }
    }

    /// <summary>Fills the small disk: writes until the OS says it is full.</summary>
    private void FillDisk()
    {
        using var filler = new FileStream(Path.Combine(_mount, "filler"), FileMode.Create);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    private void FreeDisk() => File.Delete(Path.Combine(_mount, "filler"));

    /// <summary>Starts a worker and a <c>samples.WaitForFile</c> job through it; returns once the job runs.</summary>
    private async Task<(MrqCliProcess Worker, JobId Job, string Release)> StartWorkerWithRunningJobAsync()
    {
        var release = PathOf("release");
        var job = await _db.QueueAsync("samples.WaitForFile", new JsonObject { ["path"] = release });
        var worker = Start("worker", "--storage", _db.Path, "--tasks", SamplesDll);
        await worker.WaitForFileAsync(release + ".started");
        return (worker, job, release);
    }

    private string NoSpaceLine(MrqCliProcess worker) =>
        worker.Stderr.Split('\n').FirstOrDefault(l => l.Contains("no space left on device", StringComparison.Ordinal) && l.Contains(_db.Path, StringComparison.Ordinal)) ?? "";

    [Test]
    public async Task Worker_DiskFull_SaysNoSpaceNamingFileAndFinishesJobsOnceSpaceIsFreed()
    {
        var saved = await _db.QueueAsync("samples.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });
        await _db.RunBurstAsync("default");
        var (worker, running, release) = await StartWorkerWithRunningJobAsync();

        FillDisk();
        await File.WriteAllTextAsync(release, "go");
        await worker.WaitUntilAsync(() => NoSpaceLine(worker).Length > 0, "the worker logs 'no space left on device' naming the file");
        var refused = await RunAsync("--storage", _db.Path, "run", "samples.Add", "{\"a\":2,\"b\":2}", "--queue", "default");
        Assert.That(refused.ExitCode, Is.Not.EqualTo(0), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("no space left on device").And.Contain(_db.Path));

        FreeDisk();
        var queued = await RunAsync("--storage", _db.Path, "run", "samples.Add", "{\"a\":3,\"b\":3}", "--queue", "default");
        Assert.That(queued.ExitCode, Is.EqualTo(0), $"writes resume once space is freed; {queued}\n{worker.Describe()}");
        var later = JobId.Parse(queued.Stdout.Trim());
        await WaitForSuccessAsync(worker, later);

        worker.Signal(NativeSignals.SigInt);
        var result = await worker.WaitForExitAsync();
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That((await _db.GetAsync(saved)).Status, Is.EqualTo(JobStatus.Success), "what was saved stays saved");
        Assert.That((await _db.GetAsync(running)).Status, Is.EqualTo(JobStatus.Success), $"its outcome is saved once space returns; {result}");
        Assert.That((await _db.GetAsync(later)).Status, Is.EqualTo(JobStatus.Success));
        Assert.That(await _db.CountAsync(), Is.EqualTo(3), "the refused job was not stored");
    }

    [Test]
    public async Task Worker_SigtermWhileDiskFull_ExitsWithinAbortTimeoutAndTheJobIsNotLost()
    {
        var (worker, running, release) = await StartWorkerWithRunningJobAsync();
        FillDisk();
        await File.WriteAllTextAsync(release, "go");
        await worker.WaitUntilAsync(() => NoSpaceLine(worker).Length > 0, "the worker logs 'no space left on device' naming the file");

        var clock = Stopwatch.StartNew();
        worker.Signal(NativeSignals.SigTerm);
        var result = await worker.WaitForExitAsync();
        clock.Stop();

        Assert.That(clock.Elapsed, Is.LessThan(s_exitBound), $"exited {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM; {result}");
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[^1], Does.Contain("outcomes not saved").Or.Contain("no space left on device"), result.ToString());
        FreeDisk();
        // Its outcome was never saved, so the next opener runs it again (at-least-once): queued, not lost.
        Assert.That((await _db.GetAsync(running)).Status, Is.EqualTo(JobStatus.Queued), result.ToString());
    }

    /// <summary>Waits until <c>mrq jobs show</c> (through the running worker's control endpoint) says the job succeeded.</summary>
    private async Task WaitForSuccessAsync(MrqCliProcess worker, JobId id)
    {
        var deadline = DateTime.UtcNow + Support.Wait.Long;
        var shown = "";
        while (DateTime.UtcNow < deadline)
        {
            shown = (await RunAsync("--storage", _db.Path, "jobs", "show", id.ToString())).Stdout;
            if (shown.Contains("success", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"job {id} did not succeed; last shown:\n{shown}\n{worker.Describe()}");
    }
}
