using System.Globalization;
using System.Text.Json.Nodes;
using Mrq.Cli.Supervisor;
using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary><c>mrq worker --processes N</c>: a supervisor that restarts dead worker processes and forwards signals.</summary>
[TestFixture]
[Category("process")]
public sealed class WorkerSupervisorTests : ProcessTestBase
{
    [Test]
    public async Task Processes_ChildKilled_IsRestartedAndRecoversItsJob_ThenSigintStopsAll()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        var release = PathOf("release");
        var marker = release + ".started";
        var running = await Db.QueueAsync("samples.WaitForFile", new JsonObject { ["path"] = release });
        var supervisor = Start("worker", "--processes", "1", "--storage", Db.Path, "--tasks", SamplesDll);

        // The job's marker holds the pid of the worker process running it.
        var firstChild = await ReadPidAsync(supervisor, marker);
        Assert.That(firstChild, Is.Not.EqualTo(supervisor.Id), "the job runs in a child process");
        File.Delete(marker);
        using (var child = System.Diagnostics.Process.GetProcessById(firstChild))
        {
            child.Kill();
        }

        // The restarted child reopens the file, requeues the job the dead one left started, and runs it again.
        var secondChild = await ReadPidAsync(supervisor, marker);
        Assert.That(secondChild, Is.Not.EqualTo(firstChild));

        supervisor.Signal(NativeSignals.SigInt);
        await supervisor.WaitForStderrAsync($"Sent SIGINT to worker process {secondChild}");
        await File.WriteAllTextAsync(release, "go");
        var result = await supervisor.WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stderr, Does.Contain("Restarting worker process 0"));
        Assert.That(result.Stderr, Does.Contain("All worker processes have ended."));
        Assert.That((await Db.GetAsync(running)).Status, Is.EqualTo(JobStatus.Success), result.ToString());
    }

    /// <summary>Waits until the marker holds a whole pid (the task writes it just after creating the file).</summary>
    private static async Task<int> ReadPidAsync(MrqCliProcess supervisor, string marker)
    {
        var pid = 0;
        await supervisor.WaitUntilAsync(() => TryReadPid(marker, out pid), $"{marker} holds a pid");
        return pid;
    }

    private static bool TryReadPid(string path, out int pid)
    {
        pid = 0;
        try
        {
            return File.Exists(path) && int.TryParse(File.ReadAllText(path), NumberStyles.None, CultureInfo.InvariantCulture, out pid);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Test]
    public async Task Processes_SeveralOnOneLiteDbFile_IsRejectedWithExitCode2()
    {
        var result = await RunAsync("worker", "--processes", "2", "--storage", Db.Path);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("needs distributed mode"));
        Assert.That(File.Exists(Db.Path), Is.False, "nothing was opened");
    }
}
