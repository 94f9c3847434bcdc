using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mrq.Tests.Process;
using NUnit.Framework;

namespace Mrq.Tests.Dashboard;

/// <summary><c>mrq dashboard</c> as a real process: it serves the dashboard, guards a non-loopback bind and a token, and stops on Ctrl+C.</summary>
public sealed class DashboardCommandTests : ProcessTestBase
{
    private const int SigInt = 2;

    [Test]
    public async Task Dashboard_NonLoopbackBindWithoutToken_ExitsWith2AndOpensNothing()
    {
        var result = await RunAsync("dashboard", "--storage", Db.Path, "--bind", "0.0.0.0", "--port", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("mrq: --bind 0.0.0.0").And.Contain("--token"));
        Assert.That(File.Exists(Db.Path), Is.False, "the storage was never opened");
    }

    [Test]
    public async Task Dashboard_BadBindAddress_ExitsWith2()
    {
        var result = await RunAsync("dashboard", "--storage", Db.Path, "--bind", "example.com");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain("--bind must be an IP address"));
    }

    [Test]
    public async Task Dashboard_ServesTheStorageAndStopsOnCtrlC()
    {
        var queued = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "samples.Add", "{\"a\": 1, \"b\": 2}");
        Assert.That(queued.ExitCode, Is.EqualTo(0), queued.ToString());

        var dashboard = Start("dashboard", "--storage", Db.Path, "--port", "0");
        var url = await WaitForUrlAsync(dashboard);
        using var http = new HttpClient();
        var overview = JsonNode.Parse(await http.GetStringAsync(url + "api/overview"))!;
        Assert.That((long)overview["queues"]!["later"]!["counts"]!["queued"]!, Is.EqualTo(1));
        var page = await http.GetStringAsync(url + "jobs?queue=later");
        Assert.That(page, Does.Contain("samples.Add"));

        dashboard.Signal(SigInt);
        var exit = await dashboard.WaitForExitAsync();
        Assert.That(exit.ExitCode, Is.EqualTo(0), exit.ToString());
    }

    [Test]
    public async Task Dashboard_StartedWithSigIntIgnored_StillStopsCleanlyOnCtrlC()
    {
        await using var dashboard = MrqCliProcess.StartWithSigIntIgnored(Directory, "dashboard", "--storage", Db.Path, "--port", "0");
        var url = await WaitForUrlAsync(dashboard);
        using var http = new HttpClient();
        Assert.That(JsonNode.Parse(await http.GetStringAsync(url + "api/overview")), Is.Not.Null);

        dashboard.Signal(SigInt);
        var exit = await dashboard.WaitForExitAsync();
        Assert.That(exit.ExitCode, Is.EqualTo(0), "a graceful stop, not the default action of SIGINT (exit 130); " + exit);
    }

    [Test]
    public async Task Dashboard_WithToken_RefusesRequestsWithoutIt()
    {
        var dashboard = Start(new Dictionary<string, string> { ["MRQ_DASHBOARD_TOKEN"] = "s3cret-token" }, "dashboard", "--storage", Db.Path, "--port", "0");
        var url = await WaitForUrlAsync(dashboard);
        using var http = new HttpClient();

        using var anonymous = await http.GetAsync(url + "api/overview");
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));

        using var wrong = new HttpRequestMessage(HttpMethod.Get, url + "api/overview");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:wrong")));
        Assert.That((await http.SendAsync(wrong)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        using var right = new HttpRequestMessage(HttpMethod.Get, url + "api/overview");
        right.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:s3cret-token")));
        Assert.That((await http.SendAsync(right)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(dashboard.Stdout + dashboard.Stderr, Does.Not.Contain("s3cret-token"), "the token is never printed");
    }

    private static async Task<string> WaitForUrlAsync(MrqCliProcess dashboard)
    {
        await dashboard.WaitUntilAsync(() => dashboard.Stdout.Contains("/mrq/ (Ctrl+C", StringComparison.Ordinal), "the dashboard prints its URL");
        var line = dashboard.Stdout.Split('\n').First(l => l.StartsWith("Mrq dashboard: ", StringComparison.Ordinal));
        return line["Mrq dashboard: ".Length..line.IndexOf(" (Ctrl+C", StringComparison.Ordinal)];
    }
}
