using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Samples;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Samples;

/// <summary>The sample's hosted worker (Mrq.Samples' <see cref="SampleHost"/>) starts and stops with its generic host.</summary>
[TestFixture]
[Category("samples")]
public sealed class SampleHostTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "mrq-sample-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Host_Started_HostedWorkerRunsQueuedJobs()
    {
        using var host = SampleHost.Build(Path.Combine(_directory, "jobs.db"));
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IJobClient>();

        var add = await client.QueueJobAsync("samples.Add", new JsonObject { ["a"] = 40, ["b"] = 2 });
        await client.QueueRawJobsAsync(SampleQueues.Raw, ["21"]);
        var result = await client.WaitAsync(add, Wait.Long);
        await Wait.UntilAsync(
            async () => (await client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Success] })).Count == 2,
            "the raw job ran too");
        var raw = (await client.ListJobsAsync(new JobFilter { Statuses = [JobStatus.Success] })).Single(j => j.Id != add);
        await host.StopAsync();

        Assert.That(result.Status, Is.EqualTo(JobStatus.Success));
        Assert.That(result.Result!.ToJsonString(), Is.EqualTo("42"));
        Assert.That(raw.RawQueue, Is.EqualTo(SampleQueues.Raw));
        Assert.That(raw.Result!.ToJsonString(), Is.EqualTo("42"));
        Assert.That(HostedWorker(host).Status, Is.EqualTo("stop"));
    }

    [Test]
    public async Task Host_Stopped_RunningJobFinishesAndLaterJobsStayQueued()
    {
        var release = Path.Combine(_directory, "release");
        using var host = SampleHost.Build(Path.Combine(_directory, "jobs.db"), ["--Mrq:greenlets=1"]);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IJobClient>();
        var running = await client.QueueJobAsync("samples.WaitForFile", new JsonObject { ["path"] = release });
        var later = await client.QueueJobAsync("samples.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });
        await Wait.UntilAsync(() => Task.FromResult(File.Exists(release + ".started")), "the long job started");

        var stop = host.StopAsync();
        await Wait.UntilAsync(() => Task.FromResult(HostedWorker(host).Status == "join"), "the worker stops claiming");
        await File.WriteAllTextAsync(release, "go");
        await stop.WaitAsync(Wait.Long);

        Assert.That((await client.GetJobAsync(running))!.Status, Is.EqualTo(JobStatus.Success));
        Assert.That((await client.GetJobAsync(later))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(HostedWorker(host).Status, Is.EqualTo("stop"));
    }

    [Test]
    public void Host_MrqSection_OverridesTheSampleDefaults()
    {
        using var host = SampleHost.Build(Path.Combine(_directory, "jobs.db"), ["--Mrq:greenlets=7", "--Mrq:max_jobs=100"]);

        var options = host.Services.GetRequiredService<IOptions<MrqOptions>>().Value;

        Assert.That(options.Greenlets, Is.EqualTo(7));
        Assert.That(options.MaxJobs, Is.EqualTo(100));
        Assert.That(options.Queues, Is.EqualTo(new[] { "default", SampleQueues.Raw }));
    }

    [Test]
    public void Host_QueuesConfigured_ReplaceTheSampleDefaultQueues()
    {
        using var host = SampleHost.Build(Path.Combine(_directory, "jobs.db"), ["--Mrq:queues:0=high", "--Mrq:queues:1=low"]);

        var options = host.Services.GetRequiredService<IOptions<MrqOptions>>().Value;

        Assert.That(options.Queues, Is.EqualTo(new[] { "high", "low" }));
    }

    [Test]
    public async Task Demo_Run_FinishesEveryJobAndPrintsTheSummary()
    {
        using var output = new StringWriter();

        var code = await SampleDemo.RunAsync(Path.Combine(_directory, "demo.db"), [], output);

        Assert.That(code, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("Mrq demo: 656 jobs"));
        Assert.That(output.ToString(), Does.Contain("by status: success 653, failed 3"));
        Assert.That(output.ToString(), Does.Contain("samples.Retry").And.Contain("{\"attempts\":3}"));
    }

    private static Workers.IMrqWorker HostedWorker(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<MrqHostedWorker>().Single().Worker!;
}
