using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Client;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Maintenance;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>
/// Job actions (and the maintenance requeues built on them) look up the queues they touch without counting every
/// stored job: the storage's per-queue counts read the whole job collection, which workers must never do on a timer.
/// </summary>
[TestFixture]
[Category("engine")]
public sealed class JobActionQueueLookupTests
{
    [Test]
    public async Task RequeueBySubqueuePrefixAndMaintenance_NeverCountEveryJob()
    {
        await using var services = Build();
        var client = services.GetRequiredService<IJobClient>();
        var maintenance = services.GetRequiredService<IMrqMaintenance>();
        var root = await client.QueueJobAsync("tests.Noop", [], "root");
        var sub = await client.QueueJobAsync("tests.Noop", [], "root/a");
        var other = await client.QueueJobAsync("tests.Noop", [], "rootish");
        Assert.That(await client.CancelJobsAsync(JobFilter.All), Is.EqualTo(3));

        var requeued = await client.RequeueJobsAsync(new JobFilter { Queue = "root/" });
        var retried = await maintenance.RequeueRetryJobsAsync();

        Assert.That(requeued, Is.EqualTo(2));
        Assert.That(retried, Is.Zero);
        Assert.That((await client.GetJobAsync(root))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That((await client.GetJobAsync(sub))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That((await client.GetJobAsync(other))!.Status, Is.EqualTo(JobStatus.Cancel));
        Assert.That(CountingJobStore.FullCounts, Is.Zero, "CountByQueueAndStatusAsync reads every job");
    }

    private static ServiceProvider Build()
    {
        CountingJobStore.FullCounts = 0;
        var services = new ServiceCollection();
        services.AddMrq(b => b
            .UseInMemoryStorage()
            .ConfigureStorage((_, parts) => parts.Jobs = CountingJobStore.Wrap(parts.Jobs!)));
        return services.BuildServiceProvider();
    }

    /// <summary>Forwards every job store call, counting the whole-collection counts.</summary>
    public class CountingJobStore : DispatchProxy
    {
        private IJobStore _inner = null!;

        public static int FullCounts { get; set; }

        public static IJobStore Wrap(IJobStore inner)
        {
            var proxy = Create<IJobStore, CountingJobStore>();
            ((CountingJobStore)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IJobStore.CountByQueueAndStatusAsync))
            {
                FullCounts++;
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
