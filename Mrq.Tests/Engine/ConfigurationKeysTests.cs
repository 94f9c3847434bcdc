using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>Options bind from .NET-style keys as well as MRQ's, and a key that names no option fails the start, naming it.</summary>
[TestFixture]
[Category("engine")]
public sealed class ConfigurationKeysTests
{
    [Test]
    public void DotNetStyleKeys_BindLikeMrqKeys()
    {
        // What appsettings.json {"Mrq": {"MaxJobs": 5, …}} and the environment variable Mrq__Greenlets=3 produce.
        var options = Bind(new Dictionary<string, string?>
        {
            ["Mrq:Greenlets"] = "3",
            ["Mrq:MaxJobs"] = "5",
            ["Mrq:dequeueStrategy"] = "parallel",
            ["Mrq:Queues:0"] = "high",
            ["Mrq:Tasks:tests.Add:MaxRetries"] = "2",
            ["Mrq:Tasks:tests.Add:Timeout"] = "30",
            ["Mrq:RawQueues:x_raw:RetryQueue"] = "xretry",
        });

        Assert.That(options.Greenlets, Is.EqualTo(3));
        Assert.That(options.MaxJobs, Is.EqualTo(5));
        Assert.That(options.DequeueStrategy, Is.EqualTo(DequeueStrategy.Parallel));
        Assert.That(options.Queues, Is.EqualTo(new[] { "high" }));
        Assert.That(options.Tasks.Keys, Is.EqualTo(new[] { "tests.Add" }), "task paths are kept as written");
        Assert.That(options.Tasks["tests.Add"].MaxRetries, Is.EqualTo(2));
        Assert.That(options.Tasks["tests.Add"].Timeout, Is.EqualTo(30));
        Assert.That(options.RawQueues["x_raw"].RetryQueue, Is.EqualTo("xretry"));
    }

    [Test]
    public void MisspeltTopLevelKey_FailsNamingItAndTheClosestOption()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(new Dictionary<string, string?> { ["Mrq:greenletz"] = "3" }));

        Assert.That(error!.Message, Does.Contain("'Mrq:greenletz'").And.Contain("did you mean 'greenlets'"));
    }

    [Test]
    public void MisspeltTaskOptionKey_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(new Dictionary<string, string?> { ["Mrq:tasks:tests.Add:max_retrys"] = "3" }));

        Assert.That(error!.Message, Does.Contain("'Mrq:tasks:tests.Add:max_retrys'").And.Contain("max_retries"));
    }

    [Test]
    public void WrongValueType_Fails()
    {
        Assert.Throws<InvalidOperationException>(() => Bind(new Dictionary<string, string?> { ["Mrq:Greenlets"] = "many" }));
    }

    private static MrqOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseInMemoryStorage().BindConfiguration(configuration.GetSection("Mrq")));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MrqOptions>>().Value;
    }
}
