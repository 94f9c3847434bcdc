using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mrq.Cli.Control;
using Mrq.Storage.LiteDb.Control;
using Mrq.Jobs;
using Mrq.Monitoring;
using Mrq.Storage;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Dashboard;

/// <summary>
/// The control endpoint in process: a holder's monitor and client served on a socket and used through
/// <see cref="RemoteMrqMonitor"/> and <see cref="RemoteJobClient"/> give what they give directly; its errors cross
/// with their kind; a missing or stale socket means "no holder".
/// </summary>
public sealed class ControlEndpointTests
{
    private string _directory = "";
    private string _file = "";
    private MrqTestHost _host = null!;
    private ControlServer _server = null!;
    private ControlClient _control = null!;
    private IMrqMonitor _local = null!;

    [SetUp]
    public async Task StartAsync()
    {
        // Short: a socket path must fit in ~100 bytes.
        _directory = Path.Combine(Path.GetTempPath(), "mrq-ctl-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _file = Path.Combine(_directory, "jobs.db");
        _host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        _local = _host.Services.GetMrqMonitor();
        _server = ControlServer.Start(_file, () => _local, () => _host.Client, NullLogger.Instance)!;
        _control = (await ControlClient.TryConnectAsync(_file, CancellationToken.None))!;
        Assert.That(_control, Is.Not.Null, "the client reaches the server it started");
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Remote_monitor_and_client_answer_what_the_holder_answers()
    {
        var client = new RemoteJobClient(_control);
        var monitor = new RemoteMrqMonitor(_control);
        var id = await client.QueueJobAsync("samples.Add", new JsonObject { ["a"] = 1, ["note"] = "<script>x</script>" }, "later");
        await client.PauseQueueAsync("later");

        var job = await client.GetJobAsync(id);
        var details = await monitor.GetJobAsync(id);
        var page = await monitor.SearchJobsAsync(new JobSearch { Filter = new JobFilter { Queue = "later" }, Text = "<script>" }, 0, 10);
        var overview = await monitor.GetOverviewAsync();
        var (ids, truncated) = await monitor.FindJobIdsAsync(new JobSearch { PathPattern = "samples.*" });

        Assert.That((job!.Id, job.Path, job.Queue, job.Status), Is.EqualTo((id, "samples.Add", "later", JobStatus.Queued)));
        Assert.That(((int?)job.Params["a"], (string?)job.Params["note"]), Is.EqualTo(((int?)1, (string?)"<script>x</script>")));
        Assert.That(job.DateQueued, Is.EqualTo((await _host.Client.GetJobAsync(id))!.DateQueued));
        Assert.That(details!.Job.Id, Is.EqualTo(id));
        Assert.That((page.Total, page.Jobs.Single().Id), Is.EqualTo((1L, id)));
        var later = overview.Queues.Single(q => q.Name == "later");
        Assert.That((later.Paused, later.Counts[JobStatus.Queued]), Is.EqualTo((true, 1L)));
        Assert.That(later.OldestQueuedAge, Is.Not.Null);
        Assert.That((ids.Single(), truncated), Is.EqualTo((id, false)));
        Assert.That(await client.IsQueuePausedAsync("later"), Is.True);
        Assert.That(monitor.ScanLimit, Is.EqualTo(_local.ScanLimit));
        Assert.That(await client.CancelJobsAsync(new JobFilter { Queue = "later" }), Is.EqualTo(1));
        Assert.That((await _host.Client.GetJobAsync(id))!.Status, Is.EqualTo(JobStatus.Cancel), "the action changed the holder's storage");
    }

    [Test]
    public void Holder_errors_cross_with_their_kind_and_message()
    {
        var client = new RemoteJobClient(_control);

        var bad = Assert.ThrowsAsync<ArgumentException>(() => client.QueueJobAsync("", null, "later"));
        var missing = Assert.ThrowsAsync<KeyNotFoundException>(() => client.WaitAsync(JobId.NewId(DateTime.UtcNow), TimeSpan.FromSeconds(1)));

        Assert.That(bad!.Message, Does.Contain("path"));
        Assert.That(missing!.Message, Is.Not.Empty);
    }

    [Test]
    public async Task No_socket_or_a_stale_one_means_no_holder()
    {
        var other = Path.Combine(_directory, "other.db");
        Assert.That(await ControlClient.TryConnectAsync(other, CancellationToken.None), Is.Null, "no socket file");

        if (!OperatingSystem.IsWindows())
        {
            // Something at the socket path that nobody answers on (.NET unlinks a socket it closes, so a real stale
            // socket, left by kill -9, is made in HeldFileControlTests).
            await File.WriteAllTextAsync(other + ControlSocket.Suffix, "");
            Assert.That(await ControlClient.TryConnectAsync(other, CancellationToken.None), Is.Null, "nothing answers there");
        }
    }

    [Test]
    public async Task Stopping_the_server_removes_its_socket()
    {
        await _server.DisposeAsync();
        _server = null!;

        Assert.That(File.Exists(_file + ControlSocket.Suffix), Is.False);
        Assert.That(await ControlClient.TryConnectAsync(_file, CancellationToken.None), Is.Null);
    }

    [Test]
    public void Unknown_operation_or_bad_arguments_are_refused_with_an_argument_error()
    {
        var unknown = Assert.ThrowsAsync<ArgumentException>(() => _control.CallAsync("monitor/nothing", [], CancellationToken.None));
        var missing = Assert.ThrowsAsync<ArgumentException>(() => _control.CallAsync(ControlProtocol.Cancel, [], CancellationToken.None));
        var malformed = Assert.ThrowsAsync<ArgumentException>(() => _control.CallAsync(ControlProtocol.Cancel, new JsonObject { ["id"] = "not-an-id" }, CancellationToken.None));

        Assert.That(unknown!.Message, Is.EqualTo("Unknown control operation 'monitor/nothing'."));
        Assert.That(missing!.Message, Does.Contain("lacks its 'id' argument"));
        Assert.That(malformed!.Message, Does.StartWith("Bad control request").And.Contain("24 hexadecimal"));
    }

    [Test]
    public async Task A_caller_that_gives_up_cancels_its_operation_in_the_holder()
    {
        var id = await _host.Client.QueueJobAsync("samples.Add", null, "later");
        using var giveUp = new CancellationTokenSource();
        var waiting = new RemoteJobClient(_control).WaitAsync(id, TimeSpan.FromMinutes(10), giveUp.Token);
        await Wait.UntilAsync(() => Task.FromResult(_server.ActiveRequests == 1), "the holder serves the wait");

        await giveUp.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        await Wait.UntilAsync(() => Task.FromResult(_server.ActiveRequests == 0), "the holder stopped waiting when the caller hung up");
    }

    [Test]
    public async Task A_holder_that_stops_mid_call_fails_the_call_naming_the_file()
    {
        var id = await _host.Client.QueueJobAsync("samples.Add", null, "later");
        var waiting = new RemoteJobClient(_control).WaitAsync(id, TimeSpan.FromMinutes(10));
        await Wait.UntilAsync(() => Task.FromResult(_server.ActiveRequests == 1), "the holder serves the wait");

        await _server.DisposeAsync();
        _server = null!;

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await waiting);
        Assert.That(error!.Message, Does.Contain(_file).And.Contain("stopped answering"));
    }
}
