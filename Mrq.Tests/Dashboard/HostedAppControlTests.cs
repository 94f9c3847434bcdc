using System.Text.Json.Nodes;
using Mrq.Cli.Supervisor;
using Mrq.Jobs;
using Mrq.Tests.Process;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Dashboard;

/// <summary>
/// The embedded multi-client rule for any host, not only the mrq command: an application that runs Mrq in a
/// generic host on a LiteDB file (Mrq.Samples' <c>host</c> mode: <c>AddMrq(b =&gt; b.UseLiteDb(path).AddWorker())</c>
/// plus the dashboard) serves the file's control endpoint, and <c>mrq</c> from another process works through it.
/// </summary>
public sealed class HostedAppControlTests : ProcessTestBase
{
    private string Socket => Db.Path + "-control.sock";

    [Test]
    public async Task MrqCommands_WhileAGenericHostHoldsTheFile_GoThroughItsControlSocket()
    {
        var app = await StartAppAsync();

        var queued = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "samples.Add", "{\"a\": 1, \"b\": 2}");
        var ran = await RunAsync("run", "--storage", Db.Path, "--queue", "default", "samples.Add", "{\"a\": 40, \"b\": 2}");
        Assert.That((queued.ExitCode, ran.ExitCode), Is.EqualTo((0, 0)), queued + "\n" + ran);
        var later = queued.Stdout.Trim();
        var done = ran.Stdout.Trim();
        await Wait.UntilAsync(
            async () => (string?)JsonNode.Parse((await RunAsync("jobs", "show", done, "--json", "--storage", Db.Path)).Stdout)?["status"] == "success",
            "the application's hosted worker ran the job queued from the other process");
        var jobs = await RunAsync("jobs", "--storage", Db.Path, "--queue", "later");
        var queues = await RunAsync("queues", "--json", "--storage", Db.Path);

        Assert.That(jobs.ExitCode, Is.EqualTo(0), jobs.ToString());
        Assert.That(jobs.Stdout, Does.Contain(later).And.Contain("samples.Add").And.Contain("1 job(s)"), jobs.ToString());
        Assert.That(queues.ExitCode, Is.EqualTo(0), queues.ToString());
        var counts = JsonNode.Parse(queues.Stdout)!;
        Assert.That(((long?)counts["later"]?["queued"], (long?)counts["default"]?["success"]), Is.EqualTo(((long?)1, (long?)1)), queues.ToString());

        // SIGTERM, the generic host's stop signal: a SIGINT would be ignored when the tests run as a background job of a
        // non-interactive shell (the app inherits it ignored, and a plain .NET host leaves it so).
        app.Signal(NativeSignals.SigTerm);
        var stopped = await app.WaitForExitAsync();
        Assert.That(stopped.ExitCode, Is.EqualTo(0), stopped.ToString());
        Assert.That(File.Exists(Socket), Is.False, "the application removes its socket when it stops");
        Assert.That((await Db.GetAsync(JobId.Parse(done))).Status, Is.EqualTo(JobStatus.Success));
        Assert.That((await Db.GetAsync(JobId.Parse(later))).Status, Is.EqualTo(JobStatus.Queued), "the job queued from the other process is in the file");
    }

    [Test]
    public async Task ControlSocket_OfAGenericHost_IsReadableAndWritableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Windows uses a named pipe.");
            return;
        }

        await StartAppAsync();

        Assert.That(File.GetUnixFileMode(Socket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task SamplesHostMode_WithoutAFile_PrintsItsUsageAndExitsWith2()
    {
        var result = await StartSamples("host").WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo("usage: Mrq.Samples host <litedb-file> [host arguments]"));
    }

    private async Task<MrqCliProcess> StartAppAsync()
    {
        var app = StartSamples("host", Db.Path);
        await app.WaitUntilAsync(() => app.Stdout.Contains("Control endpoint: ", StringComparison.Ordinal), "the application serves its control endpoint");
        return app;
    }
}
