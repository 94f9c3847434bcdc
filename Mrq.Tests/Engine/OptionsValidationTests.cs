using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

[TestFixture]
[Category("engine")]
public sealed class OptionsValidationTests
{
    [Test]
    public async Task Worker_ZeroGreenletsNegativePrefetchAndNegativeTimeout_FailsAtStartListingAll()
    {
        await using var services = Build(o =>
        {
            o.Greenlets = 0;
            o.Prefetch = -1;
            o.DefaultJobTimeout = -1;
        });
        var factory = services.GetRequiredService<IMrqWorkerFactory>();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => factory.Create().RunAsync(CancellationToken.None, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("greenlets must be at least 1").And.Contain("prefetch must be 0 or more").And.Contain("timeout must be positive"));
    }

    [Test]
    public async Task Worker_RawQueueWithoutFactory_FailsAtStart()
    {
        await using var services = Build(o => o.Queues = ["orphan_raw"]);
        var worker = services.GetRequiredService<IMrqWorkerFactory>().Create();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => worker.RunAsync(CancellationToken.None, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("orphan_raw").And.Contain("job factory"));
    }

    [Test]
    public void Configuration_MrqSnakeCaseKeysBind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["greenlets"] = "8",
            ["max_jobs"] = "5",
            ["dequeue_strategy"] = "parallel",
            ["queues:0"] = "high",
            ["queues:1"] = "low",
            ["tasks:tests.Add:timeout"] = "30",
            ["tasks:tests.Add:queue"] = "math",
            ["raw_queues:x_raw:retry_queue"] = "xretry",
        }).Build();
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseInMemoryStorage().BindConfiguration(configuration).AddRawQueue("x_raw", m => new RawJob("p", [])));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MrqOptions>>().Value;

        Assert.That(options.Greenlets, Is.EqualTo(8));
        Assert.That(options.MaxJobs, Is.EqualTo(5));
        Assert.That(options.DequeueStrategy, Is.EqualTo(DequeueStrategy.Parallel));
        Assert.That(options.Queues, Is.EqualTo(new[] { "high", "low" }));
        Assert.That(options.Tasks["tests.Add"].Timeout, Is.EqualTo(30));
        Assert.That(options.RawQueues["x_raw"].RetryQueue, Is.EqualTo("xretry"));
        Assert.That(options.RawQueues["x_raw"].JobFactory, Is.Not.Null, "the code factory survives configuration binding");
    }

    [Test]
    public async Task TaskOptions_ConfigurationOverridesAttributeOverridesDefaults()
    {
        await using var services = Build(o => o.Tasks["tests.tasks.general.LockedGated"] = new TaskOptions { Queue = "locked" });
        var client = services.GetRequiredService<Client.IJobClient>();

        var id = await client.QueueJobAsync("tests.tasks.general.LockedGated", new JsonObject());

        Assert.That((await client.GetJobAsync(id))!.Queue, Is.EqualTo("locked"));
        var registry = services.GetRequiredService<Tasks.TaskRegistry>();
        var resolved = registry.OptionsFor("tests.tasks.general.LockedGated");
        Assert.That(resolved.MaxConcurrency, Is.EqualTo(1), "from the attribute");
        Assert.That(resolved.Timeout, Is.EqualTo(TimeSpan.FromHours(1)), "from default_job_timeout");
    }

    [Test]
    public void QueueJob_ParamsMustBeAnObject_ParseGivesOneLineError()
    {
        var error = Assert.Throws<FormatException>(() => Tasks.MrqJson.ParseParams("[1, 2]"));

        Assert.That(error!.Message, Does.Contain("JSON object").And.Not.Contain("\n"));
        Assert.That(() => Tasks.MrqJson.ParseParams("{oops"), Throws.TypeOf<FormatException>().With.Message.Contains("not valid JSON"));
    }

    [Test]
    public async Task QueueJob_OnRawQueue_ThrowsAndQueuesNothing()
    {
        await using var services = Build(null);
        var client = services.GetRequiredService<Client.IJobClient>();

        Assert.ThrowsAsync<ArgumentException>(() => client.QueueJobAsync("tests.tasks.general.Add", new JsonObject(), "x_raw"));
        Assert.ThrowsAsync<ArgumentException>(() => client.QueueJobAsync("tests.tasks.general.Add", new JsonObject(), " "));
        Assert.That(await client.ListJobsAsync(Jobs.JobFilter.All), Is.Empty);
    }

    private static ServiceProvider Build(Action<MrqOptions>? configure)
    {
        var services = new ServiceCollection();
        services.AddMrq(b =>
        {
            b.UseInMemoryStorage().AddTasksFrom(typeof(OptionsValidationTests).Assembly);
            if (configure is not null)
            {
                b.Configure(configure);
            }
        });
        return services.BuildServiceProvider();
    }
}
