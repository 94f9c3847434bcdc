using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Samples;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Dashboard;

/// <summary>The sample host serves the dashboard beside its worker, and the demo prints its URL.</summary>
[TestFixture]
[Category("samples")]
public sealed class SampleDashboardTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("mrq-sample-dashboard").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task SampleHost_ServesTheDashboardOfItsOwnJobs()
    {
        using var host = SampleHost.Build(Path.Combine(_directory, "jobs.db"));
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IJobClient>();
        var failed = await client.QueueJobAsync("samples.Fail", new JsonObject { ["message"] = "shown on the dashboard" });
        await Wait.ForStatusAsync(client, failed, JobStatus.Failed);

        var url = SampleHost.DashboardUrl(host);
        Assert.That(url, Does.StartWith("http://127.0.0.1:").And.EndWith("/mrq/"));
        using var http = new HttpClient();
        var page = await http.GetStringAsync(url + "jobs/" + failed);
        Assert.That(page, Does.Contain("shown on the dashboard").And.Contain("InvalidOperationException"));
        await host.StopAsync();
    }

    [Test]
    public async Task Demo_PrintsTheDashboardUrl()
    {
        using var output = new StringWriter();
        var code = await SampleDemo.RunAsync(Path.Combine(_directory, "demo.db"), [], output);
        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Match(@"Mrq dashboard: http://127\.0\.0\.1:\d+/mrq/"));
    }
}
