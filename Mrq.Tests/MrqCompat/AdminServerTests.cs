using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mrq.Cli.Admin;
using Mrq.Jobs;
using Mrq.Storage.InMemory;
using Mrq.Tests.Support;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.MrqCompat;

/// <summary>MRQ's worker admin port (<c>--admin_port</c>) over a real worker on the in-memory storage.</summary>
[TestFixture]
public sealed class AdminServerTests
{
    private static readonly HttpClient s_http = new() { Timeout = Wait.Long };

    [Test]
    public async Task Report_MrqShape_MemoryOnlyOnReportMem()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), options: o => o.Queues = ["high", "default"]);
        var run = host.StartWorker();
        var worker = (Worker)run.Worker;
        await using var admin = AdminServer.Start("127.0.0.1", 0, worker, NullLogger.Instance);

        var report = JsonNode.Parse(await s_http.GetStringAsync(Url(admin, "/report")))!;
        var withMemory = JsonNode.Parse(await s_http.GetStringAsync(Url(admin, "/report_mem")))!;
        var root = JsonNode.Parse(await s_http.GetStringAsync(Url(admin, "/")))!;

        Assert.That(report["_id"]!.GetValue<string>(), Is.EqualTo(worker.Id));
        Assert.That(root["_id"]!.GetValue<string>(), Is.EqualTo(worker.Id));
        Assert.That(report["config"]!["queues"]!.AsArray().Select(q => q!.GetValue<string>()), Is.EqualTo(new[] { "high", "default" }));
        Assert.That(report["process"]!["mem"]!["total"]!.GetValue<long>(), Is.Zero, "/report gives zeros, as MRQ's");
        Assert.That(withMemory["process"]!["mem"]!["total"]!.GetValue<long>(), Is.GreaterThan(0));
        Assert.That(withMemory["process"]!["mem"]!["rss"]!.GetValue<long>(), Is.GreaterThan(0));
        Assert.That(report["io"]!["total"]!.GetValue<int>(), Is.Zero);
        Assert.That(report["datestarted"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$"), "naive UTC ISO, as MRQ's");
        Assert.That(report["config"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "scheduler", "agent_id", "worker_group", "external_ip", "local_ip" }));
        await run.StopAsync();
    }

    [Test]
    public async Task UnknownPathOrMethod_404()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        var run = host.StartWorker();
        await using var admin = AdminServer.Start("127.0.0.1", 0, (Worker)run.Worker, NullLogger.Instance);

        using var response = await s_http.GetAsync(Url(admin, "/nope"));
        using var post = await s_http.PostAsync(Url(admin, "/report"), new StringContent(string.Empty));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await run.StopAsync();
    }

    [Test]
    public async Task WaitForIdle_QueuedJobs_AnswersIdleOnlyAfterTheyEnded()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), options: o => o.MaxLatency = 30);
        var first = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2, ["sleep"] = 0.3 });
        var run = host.StartWorker();
        await using var admin = AdminServer.Start("127.0.0.1", 0, (Worker)run.Worker, NullLogger.Instance);
        await Wait.ForStatusAsync(host.Client, first, JobStatus.Success);

        // Queued while the worker waits (max_latency 30 s): idle must not be answered before it ran.
        var second = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 3, ["b"] = 4 });
        using var response = await s_http.GetAsync(Url(admin, "/wait_for_idle"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("idle"));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That((await host.Client.GetJobAsync(second))!.Status, Is.EqualTo(JobStatus.Success), "idle means the job queued before the call ran");
        await run.StopAsync();
    }

    [Test]
    public async Task Start_BadAddress_UsageError()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        var worker = (Worker)host.Services.GetRequiredService<IMrqWorkerFactory>().Create();

        var error = Assert.Throws<Mrq.Cli.CliUsageException>(() => AdminServer.Start("not-an-ip", 0, worker, NullLogger.Instance));

        Assert.That(error!.Message, Does.Contain("admin_ip 'not-an-ip'"));
        worker.Dispose();
    }

    private static Uri Url(AdminServer admin, string path) => new($"http://127.0.0.1:{admin.Port}{path}");
}
