using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Cli.Supervisor;
using Mrq.Client;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;
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

    [Test]
    [Category("mongo")]
    [Category("redis")]
    public async Task Processes_DistributedMode_ChildrenShareTheQueueAndStopOnSigint()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        await using var mongo = await MongoTestDatabase.CreateAsync();
        await using var redis = await RedisTestServer.CreateAsync();
        var queue = redis.Prefix;
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseMongo(mongo.Url).UseRedis(o =>
        {
            o.Url = RedisTestServer.ServerUrl;
            o.Prefix = redis.Prefix;
        }));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IJobClient>();
        var releases = new[] { PathOf("release-a"), PathOf("release-b") };
        var ids = new List<JobId>();
        foreach (var release in releases)
        {
            ids.Add(await client.QueueJobAsync("samples.WaitForFile", new JsonObject { ["path"] = release }, queue));
        }

        var supervisor = Start(
            "worker", queue, "--processes", "2", "--tasks", SamplesDll,
            "--mongodb-jobs", mongo.Url, "--redis", RedisTestServer.ServerUrl, "--redis-prefix", redis.Prefix);

        // One greenlet per process: each child holds one of the two jobs.
        var pids = new List<int>();
        foreach (var release in releases)
        {
            pids.Add(await ReadPidAsync(supervisor, release + ".started"));
        }

        Assert.That(pids.Distinct().Count(), Is.EqualTo(2), "the two jobs run in two worker processes");
        Assert.That(pids, Does.Not.Contain(supervisor.Id));
        supervisor.Signal(NativeSignals.SigInt);
        foreach (var pid in pids)
        {
            await supervisor.WaitForStderrAsync($"Sent SIGINT to worker process {pid}");
        }

        foreach (var release in releases)
        {
            await File.WriteAllTextAsync(release, "go");
        }

        var result = await supervisor.WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var jobs = new List<JobRecord>();
        foreach (var id in ids)
        {
            jobs.Add((await client.GetJobAsync(id))!);
        }

        Assert.That(jobs.Select(j => j.Status), Is.All.EqualTo(JobStatus.Success), result.ToString());
        Assert.That(jobs.Select(j => j.Worker).Distinct().Count(), Is.EqualTo(2), "saved by two different workers");
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
