using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>A worker logs every job that did not succeed (a worker failing every job must not look healthy in its log).</summary>
[TestFixture]
[Category("engine")]
public sealed class WorkerLoggingTests
{
    [Test]
    public async Task FailedAndAbortedJobs_LoggedWithIdPathAndException_SuccessNot()
    {
        var log = new CapturingLoggerProvider();
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), b => b.Services.AddSingleton<ILoggerProvider>(log));
        host.StartWorker();

        var failed = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "boom" });
        var aborted = await host.Client.QueueJobAsync("tests.tasks.general.Abort", new JsonObject());
        var ok = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        Assert.That((await Wait.ForEndAsync(host.Client, failed)).Status, Is.EqualTo(JobStatus.Failed));
        Assert.That((await Wait.ForEndAsync(host.Client, aborted)).Status, Is.EqualTo(JobStatus.Abort));
        Assert.That((await Wait.ForEndAsync(host.Client, ok)).Status, Is.EqualTo(JobStatus.Success));

        Assert.That(log.Contains(LogLevel.Error, $"Job {failed} (tests.tasks.general.RaiseException) ended failed"), Is.True, string.Join("\n", log.Entries));
        Assert.That(log.Contains(LogLevel.Warning, $"Job {aborted} (tests.tasks.general.Abort) ended abort: AbortInterrupt"), Is.True, string.Join("\n", log.Entries));
        Assert.That(log.Entries.Any(e => e.Message.Contains(ok.ToString(), StringComparison.Ordinal)), Is.False, "a success is not logged per job");
    }
}
