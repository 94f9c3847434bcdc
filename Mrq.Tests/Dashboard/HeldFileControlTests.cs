using System.Text.Json.Nodes;
using Mrq.Cli.Supervisor;
using Mrq.Tests.Process;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Dashboard;

/// <summary>
/// The embedded multi-client rule, with real processes: while <c>mrq worker</c> holds a LiteDB file, <c>mrq jobs</c>,
/// <c>mrq queues</c>, <c>mrq run --queue</c>, pause/resume and <c>mrq dashboard</c> from other processes go through
/// its control socket; a socket left by a killed worker is ignored and replaced.
/// </summary>
public sealed class HeldFileControlTests : ProcessTestBase
{
    private string Socket => Db.Path + "-control.sock";

    [Test]
    public async Task CliCommands_WhileAWorkerHoldsTheFile_GoThroughItsControlSocket()
    {
        var worker = await StartWorkerAsync();

        var queued = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "samples.Add", "{\"a\": 1, \"b\": 2}");
        var id = queued.Stdout.Trim();
        var jobs = await RunAsync("jobs", "--storage", Db.Path, "--queue", "later");
        var show = await RunAsync("jobs", "show", id, "--json", "--storage", Db.Path);
        var paused = await RunAsync("queues", "pause", "later", "--storage", Db.Path);
        var queues = await RunAsync("queues", "--storage", Db.Path);
        var counts = await RunAsync("queues", "--json", "--storage", Db.Path);
        var cancelled = await RunAsync("jobs", "cancel", id, "--storage", Db.Path);
        var resumed = await RunAsync("queues", "resume", "later", "--storage", Db.Path);

        Assert.That(queued.ExitCode, Is.EqualTo(0), queued.ToString());
        Assert.That(jobs.ExitCode, Is.EqualTo(0), jobs.ToString());
        Assert.That(jobs.Stdout, Does.Contain(id).And.Contain("samples.Add").And.Contain("1 job(s)"), jobs.ToString());
        Assert.That((string?)JsonNode.Parse(show.Stdout)!["params"]!["b"]?.ToJsonString(), Is.EqualTo("2"), show.ToString());
        Assert.That(paused.Stdout.Trim(), Is.EqualTo("paused later"), paused.ToString());
        Assert.That(queues.Stdout, Does.Contain("later (paused)"), queues.ToString());
        Assert.That(JsonNode.Parse(counts.Stdout)!.ToJsonString(), Is.EqualTo("{\"later\":{\"queued\":1}}"), counts.ToString());
        Assert.That(cancelled.Stdout.Trim(), Is.EqualTo("cancelled 1 job(s)"), cancelled.ToString());
        Assert.That(resumed.Stdout.Trim(), Is.EqualTo("resumed later"), resumed.ToString());

        worker.Signal(NativeSignals.SigInt);
        var stopped = await worker.WaitForExitAsync();
        Assert.That(stopped.ExitCode, Is.EqualTo(0), stopped.ToString());
        Assert.That(File.Exists(Socket), Is.False, "the worker removes its socket when it stops");
        var job = await Db.GetAsync(Mrq.Jobs.JobId.Parse(id));
        Assert.That(job.Status, Is.EqualTo(Mrq.Jobs.JobStatus.Cancel), "the cancel went to the file through the worker");
    }

    [Test]
    public async Task ControlSocket_IsReadableAndWritableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Windows uses a named pipe.");
            return;
        }

        await StartWorkerAsync();

        Assert.That(File.GetUnixFileMode(Socket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task Dashboard_WhileAWorkerHoldsTheFile_ShowsItsJobsAndWorker()
    {
        await StartWorkerAsync();
        var queued = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "samples.Add", "{\"a\": 1, \"b\": 2}");
        Assert.That(queued.ExitCode, Is.EqualTo(0), queued.ToString());

        var dashboard = Start("dashboard", "--storage", Db.Path, "--port", "0");
        var url = await WaitForDashboardUrlAsync(dashboard);
        using var http = new HttpClient();
        var overview = JsonNode.Parse(await http.GetStringAsync(url + "api/overview"))!;
        var workers = JsonNode.Parse(await http.GetStringAsync(url + "api/workers"))!.ToJsonString();
        var page = await http.GetStringAsync(url + "jobs/" + queued.Stdout.Trim());

        Assert.That((long)overview["queues"]!["later"]!["counts"]!["queued"]!, Is.EqualTo(1));
        Assert.That(workers, Does.Contain("\"status\""), "the worker's report is read through the control socket");
        Assert.That(page, Does.Contain("samples.Add"));
        Assert.That(dashboard.Stderr, Does.Contain("is held by process"));
    }

    [Test]
    public async Task StaleSocket_LeftByAKilledWorker_IsIgnoredThenReplaced()
    {
        var first = await StartWorkerAsync();
        first.Kill();
        await first.WaitForExitAsync();
        Assert.That(File.Exists(Socket), Is.True, "kill -9 leaves the socket file behind");

        var direct = await RunAsync("queues", "--storage", Db.Path);
        Assert.That(direct.ExitCode, Is.EqualTo(0), direct.ToString());

        await StartWorkerAsync();
        var queued = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "samples.Add", "{\"a\": 1, \"b\": 2}");
        Assert.That(queued.ExitCode, Is.EqualTo(0), "the new worker serves a new socket: " + queued);
    }

    [Test]
    public async Task SecondWorker_OnAHeldFile_IsRefusedNamingDistributedModeFlags()
    {
        await StartWorkerAsync();

        var second = await RunAsync("worker", "--storage", Db.Path);

        Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());
        Assert.That(second.Stderr, Does.Contain("is already open in another process").And.Contain("--mongodb-jobs").And.Contain("--redis"));
    }

    [Test]
    public async Task WorkerDashboard_ServesTheDashboardFromTheWorkerProcess()
    {
        var worker = Start("worker", "--storage", Db.Path, "--dashboard", "127.0.0.1:0");
        var url = await WaitForDashboardUrlAsync(worker);
        using var http = new HttpClient();

        await Wait.UntilAsync(async () => (await http.GetStringAsync(url + "api/workers")).Contains("\"queues\"", StringComparison.Ordinal), "the worker's own report shows on its dashboard");
        Assert.That(url, Does.StartWith("http://127.0.0.1:"));
        Assert.That(File.Exists(Socket), Is.True, "the worker also serves its control socket");
    }

    [TestCase("0.0.0.0:0", "--dashboard-token")]
    [TestCase("high", "queues go before --dashboard")]
    public async Task WorkerDashboard_BadOrUnguardedAddress_ExitsWith2AndOpensNothing(string address, string message)
    {
        var result = await RunAsync("worker", "--storage", Db.Path, "--dashboard", address);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain(message));
        Assert.That(File.Exists(Db.Path), Is.False, "the storage was never opened");
    }

    [Test]
    public async Task WorkerDashboard_PortInUse_ExitsWith1NamingTheAddress()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var result = await RunAsync("worker", "--storage", Db.Path, "--dashboard", $"127.0.0.1:{port}", "--log-level", "warning");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"mrq: cannot listen on 127.0.0.1:{port}"));
        Assert.That(File.Exists(Socket), Is.False, "the control socket is removed on the way out");
    }

    [Test]
    public async Task SocketPathTooLong_WorkerRunsWithoutEndpointAndSaysSo()
    {
        var deep = Path.Combine(Directory, new string('d', 60), new string('e', 60));
        System.IO.Directory.CreateDirectory(deep);
        var file = Path.Combine(deep, "jobs.db");

        var worker = Start("worker", "--storage", file);
        await worker.WaitForStderrAsync(") started: queues default");
        var jobs = await RunAsync("jobs", "--storage", file);

        Assert.That(worker.Stderr, Does.Contain("No control endpoint").And.Contain("too long"));
        Assert.That(jobs.ExitCode, Is.EqualTo(1), jobs.ToString());
        Assert.That(jobs.Stderr, Does.Contain("is already open in another process"));
    }

    private async Task<MrqCliProcess> StartWorkerAsync()
    {
        var worker = Start("worker", "--storage", Db.Path);
        await worker.WaitForStderrAsync("Control endpoint: ");
        return worker;
    }

    private static async Task<string> WaitForDashboardUrlAsync(MrqCliProcess process)
    {
        await process.WaitUntilAsync(() => process.Stdout.Contains("/mrq/", StringComparison.Ordinal), "the dashboard prints its URL");
        var line = process.Stdout.Split('\n').First(l => l.StartsWith("Mrq dashboard: ", StringComparison.Ordinal));
        var start = "Mrq dashboard: ".Length;
        return line[start..(line.IndexOf("/mrq/", StringComparison.Ordinal) + "/mrq/".Length)];
    }
}
