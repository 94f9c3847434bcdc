using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Storage.LiteDb;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>
/// A worker on LiteDB whose disk fills up (<see cref="SimulatedDisk"/> fails LiteDB's own writes, as ENOSPC does):
/// it says so naming the file, keeps what was saved, resumes by itself when space returns, and obeys an abort while
/// it cannot write. Before, the first failed commit left LiteDB unusable ("page must be writable") for good.
/// </summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbDiskFullWorkerTests
{
    private const string Gated = "tests.tasks.general.Gated";
    private const string Add = "tests.tasks.general.Add";

    private readonly SimulatedDisk _disk = new();
    private readonly CapturingLoggerProvider _log = new();
    private string _folder = "";
    private string _path = "";
    private MrqTestHost? _host;

    [SetUp]
    public void NewFolder()
    {
        _folder = LiteDbTestStorage.NewFolder();
        _path = Path.Combine(_folder, "jobs.db");
        _disk.Full = false;
    }

    [TearDown]
    public async Task CleanUpAsync()
    {
        _disk.Full = false;
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        LiteDbTestStorage.DeleteFolder(_folder);
    }

    private async Task<MrqTestHost> StartHostAsync(double abortTimeout = 10)
    {
        _host = await MrqTestHost.StartAsync(
            b => b.UseLiteDb(o =>
            {
                o.Path = _path;
                o.Hooks = _disk.Hooks;
            }),
            b => b.Services.AddSingleton<ILoggerProvider>(_log),
            o => o.AbortTimeout = abortTimeout);
        return _host;
    }

    private bool LoggedDiskFull() => _log.Exceptions.Any(e =>
        e.Exception.Message.Contains("no space left on device", StringComparison.Ordinal) && e.Exception.Message.Contains(_path, StringComparison.Ordinal));

    [Test]
    public async Task Worker_DiskFullWhileSavingOutcome_LogsNoSpaceNamingFileAndResumesWithNoJobLost()
    {
        var host = await StartHostAsync();
        var run = host.StartWorker();
        var before = await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 1, ["b"] = 1 });
        Assert.That((await Wait.ForEndAsync(host.Client, before)).Status, Is.EqualTo(JobStatus.Success));

        var (gate, started, runs) = (TestGates.NewName(), TestGates.NewName(), TestGates.NewName());
        var gated = await host.Client.QueueJobAsync(Gated, new JsonObject { ["gate"] = gate, ["started"] = started, ["log"] = runs, ["value"] = 7 });
        await TestGates.Gate(started).WaitAsync(Wait.Long);
        _disk.Full = true;
        TestGates.Open(gate);

        // Its outcome cannot be saved: the worker says why, naming the file; new jobs are refused the same way.
        await Wait.UntilAsync(() => Task.FromResult(LoggedDiskFull()), "the worker logs 'no space left on device' naming the file");
        var refused = Assert.ThrowsAsync<MrqStorageException>(async () => await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 2, ["b"] = 2 }));
        Assert.That(refused!.Message, Does.Contain("no space left on device").And.Contain(_path));
        Assert.That((await host.Client.GetJobAsync(gated))!.Status, Is.EqualTo(JobStatus.Started), "not saved yet, not lost");

        _disk.Full = false;
        var done = await Wait.ForEndAsync(host.Client, gated);
        Assert.That(done.Status, Is.EqualTo(JobStatus.Success));
        Assert.That(done.Result?.GetValue<int>(), Is.EqualTo(7));
        var after = await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 3, ["b"] = 3 });
        Assert.That((await Wait.ForEndAsync(host.Client, after)).Status, Is.EqualTo(JobStatus.Success));
        Assert.That((await host.Client.GetJobAsync(before))!.Status, Is.EqualTo(JobStatus.Success), "what was saved stays saved");
        Assert.That(TestGates.Entries(runs), Has.Count.EqualTo(1), "the job ran once");
        await run.StopAsync();
    }

    [Test]
    public async Task Worker_AbortedWhileDiskFull_ExitsWithinAbortTimeoutAndTheJobIsKept()
    {
        var host = await StartHostAsync(abortTimeout: 2);
        var run = host.StartWorker();
        var (gate, started) = (TestGates.NewName(), TestGates.NewName());
        var gated = await host.Client.QueueJobAsync(Gated, new JsonObject { ["gate"] = gate, ["started"] = started });
        await TestGates.Gate(started).WaitAsync(Wait.Long);
        _disk.Full = true;
        await Wait.UntilAsync(() => Task.FromResult(LoggedDiskFull()), "the worker logs 'no space left on device' (its report)");

        var clock = Stopwatch.StartNew();
        var exit = run.AbortAsync();
        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await exit);
        clock.Stop();
        Assert.That(error!.Message, Does.Contain("1 outcomes not saved"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(host.Options.AbortTimeout + 10)), "the abort is obeyed while writes fail");

        // Not lost: still claimed in the file, for the next open to requeue.
        _disk.Full = false;
        Assert.That((await host.Client.GetJobAsync(gated))!.Status, Is.EqualTo(JobStatus.Started));
    }
}
