using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

[TestFixture]
[Category("engine")]
public sealed class ContextHelpersTests
{
    private sealed class CountingConnection
    {
        public static int Created;

        public CountingConnection() => Interlocked.Increment(ref Created);
    }

    [Test]
    public async Task Connections_CreatedLazilyOnceAndShared()
    {
        CountingConnection.Created = 0;
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), b => b
            .AddConnection("counter", _ => new CountingConnection())
            .AddTask("tests.UsesConnection", (p, ctx) =>
            {
                var a = ctx.Connections.Get<CountingConnection>("counter");
                var b2 = MrqContext.Connections.Get<CountingConnection>("counter");
                return ValueTask.FromResult<JsonNode?>(ReferenceEquals(a, b2));
            }), o => o.Greenlets = 4);
        Assert.That(CountingConnection.Created, Is.Zero, "nothing is created before a task asks");
        host.StartWorker();

        var ids = await host.Client.QueueJobsAsync("tests.UsesConnection", Enumerable.Range(0, 10).Select(_ => new JsonObject()));
        foreach (var id in ids)
        {
            var job = await Wait.ForEndAsync(host.Client, id);
            Assert.That((bool)job.Result!, Is.True, job.Traceback);
        }

        Assert.That(CountingConnection.Created, Is.EqualTo(1));
    }

    [Test]
    public async Task Metric_GoesToHookWithMrqNames()
    {
        var seen = new ConcurrentQueue<(string Name, double Value)>();
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), b => b
            .OnMetric((name, value) => seen.Enqueue((name, value)))
            .AddTask("tests.Metric", (p, ctx) =>
            {
                Helpers.Metric("custom.thing", 3);
                return ValueTask.FromResult<JsonNode?>(null);
            }));
        host.StartWorker();

        var id = await host.Client.QueueJobAsync("tests.Metric");
        await Wait.ForEndAsync(host.Client, id);
        await Wait.UntilAsync(() => Task.FromResult(seen.Any(m => m.Name == "jobs.status.success")), "the success metric is sent");

        Assert.That(seen, Does.Contain(("custom.thing", 3.0)));
        Assert.That(seen, Does.Contain(("queues.default.enqueued", 1.0)));
        Assert.That(seen, Does.Contain(("queues.default.dequeued", 1.0)));
        Assert.That(seen, Does.Contain(("jobs.status.queued", 1.0)), "MRQ's queue_jobs metric");
        Assert.That(seen, Does.Contain(("jobs.status.started", 1.0)), "MRQ's dequeue metric");
    }

    [Test]
    public void ContextFunctions_OutsideAJob_ThrowOrReturnNull()
    {
        Assert.That(MrqContext.GetCurrentJob(), Is.Null);
        Assert.That(() => MrqContext.AbortCurrentJob(), Throws.InvalidOperationException.With.Message.Contains("only works inside a running job"));
        Assert.That(() => MrqContext.RetryCurrentJob(), Throws.InvalidOperationException);
    }

    [Test]
    public async Task SetProgress_OutOfRange_FailsTheJobWithClearError()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), b => b
            .AddTask("tests.BadProgress", async (p, ctx) =>
            {
                await ctx.SetProgressAsync(1.5);
                return null;
            }));
        host.StartWorker();

        var job = await Wait.ForEndAsync(host.Client, await host.Client.QueueJobAsync("tests.BadProgress"));

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.ExceptionType, Is.EqualTo(nameof(ArgumentOutOfRangeException)));
    }
}
