using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage.InMemory;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.MrqCompat;

/// <summary>
/// MRQ's <c>test_retry_traceback_history</c> / <c>test_abort_traceback_history</c>: a retry or abort asked for while
/// handling an exception keeps that exception as the history entry's <c>original_traceback</c>; one asked for
/// outside any handler has none.
/// </summary>
[TestFixture]
public sealed class OriginalTracebackTests
{
    [TestCase("tests.tasks.general.Retry", JobStatus.Retry, "handled before retry")]
    [TestCase("tests.tasks.general.Abort", JobStatus.Abort, "handled before abort")]
    public async Task InterruptAskedInCatch_HistoryKeepsTheHandledException(string path, JobStatus status, string handled)
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        var plain = await host.Client.QueueJobAsync(path, new JsonObject { ["delay"] = 60 });
        var inCatch = await host.Client.QueueJobAsync(path, new JsonObject { ["delay"] = 60, ["in_catch"] = true });
        var run = host.StartWorker();

        await Wait.ForStatusAsync(host.Client, plain, status);
        await Wait.ForStatusAsync(host.Client, inCatch, status);
        await run.StopAsync();
        var plainJob = (await host.Client.GetJobAsync(plain))!;
        var inCatchJob = (await host.Client.GetJobAsync(inCatch))!;

        Assert.That(plainJob.TracebackHistory.Single().OriginalTraceback, Is.Null);
        var entry = inCatchJob.TracebackHistory.Single();
        Assert.That(entry.Status, Is.EqualTo(status));
        Assert.That(entry.OriginalTraceback, Does.Contain("InvalidDataException").And.Contain(handled));
    }
}
