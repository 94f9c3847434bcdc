using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>Typed params (<c>MrqTask&lt;TParams, TResult&gt;</c>) are strict: a wrong or missing param fails the job, naming it.</summary>
[TestFixture]
[Category("engine")]
public sealed class TypedParamsTests
{
    private const string AddPath = "tests.tasks.general.Add";

    [Test]
    public async Task MissingRequiredParam_FailsNamingIt()
    {
        var job = await RunAsync(new JsonObject { ["a"] = 1 });

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.ExceptionType, Is.EqualTo(nameof(ArgumentException)));
        Assert.That(job.Traceback, Does.Contain("params do not fit Params").And.Contain("'b'"));
    }

    [Test]
    public async Task MisspeltParam_FailsInsteadOfRunningOnDefaults()
    {
        var job = await RunAsync(new JsonObject { ["x"] = 1 });

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed), "a misspelt name must not run the task on 0 + 0");
        Assert.That(job.Traceback, Does.Contain("'a'"));
    }

    [Test]
    public async Task WrongType_FailsNamingThePath()
    {
        var job = await RunAsync(new JsonObject { ["a"] = "x", ["b"] = 2 });

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.Traceback, Does.Contain("$.a"));
    }

    [Test]
    public async Task OptionalParamLeftOut_Runs()
    {
        var job = await RunAsync(new JsonObject { ["a"] = 40, ["B"] = 2 });

        Assert.That(job.Status, Is.EqualTo(JobStatus.Success), job.Traceback);
        Assert.That((int)job.Result!, Is.EqualTo(42), "names are read case-insensitively; sleep has a default");
    }

    private static async Task<JobRecord> RunAsync(JsonObject parameters)
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        host.StartWorker();
        var id = await host.Client.QueueJobAsync(AddPath, parameters);
        return await Wait.ForEndAsync(host.Client, id);
    }
}
