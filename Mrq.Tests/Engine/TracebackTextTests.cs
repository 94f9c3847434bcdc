using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>A failed job's traceback shows the source line of each frame whose file is readable, as Python's does.</summary>
public sealed class TracebackTextTests
{
    [Test]
    public async Task FailedJob_TracebackShowsTheFailingSourceLine()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), b => b
            .AddTask("tests.Throws", (p, ctx) =>
            {
                if (p.Count == 0)
                {
                    throw new InvalidOperationException("boom"); // __FAILING_LINE_MARKER__
                }

                return ValueTask.FromResult<JsonNode?>(null);
            }));
        host.StartWorker();

        var id = await host.Client.QueueJobAsync("tests.Throws");
        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.ExceptionType, Is.EqualTo("InvalidOperationException"));
        Assert.That(job.Traceback, Does.Contain("boom").And.Contain(":line "));
        var lines = job.Traceback!.Split('\n');
        var marker = Array.FindIndex(lines, l => l.Contains("__FAILING_LINE_MARKER__", StringComparison.Ordinal));
        Assert.That(marker, Is.GreaterThan(0), job.Traceback);
        Assert.That(lines[marker].Trim(), Does.StartWith("throw new InvalidOperationException"), "the source line itself, trimmed");
        Assert.That(lines[marker - 1], Does.Contain(nameof(TracebackTextTests)).And.Contain(":line "), "under the frame it belongs to");
    }
}
