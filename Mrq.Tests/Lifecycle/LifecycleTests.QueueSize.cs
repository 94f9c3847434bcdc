using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary>
/// MRQ's queuesize counters under job actions (backends that keep them: Redis): an action changes them by what it
/// changed, with the change, never by recounting, which raced with the writers that count themselves.
/// </summary>
public sealed partial class LifecycleTests
{
    [Test]
    public async Task QueueSize_CancelByFilter_DecrementsWhatItCancelled_NotARecount()
    {
        var host = await StartHostWithCountersAsync();
        var cancelled = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new Client.QueueJobOptions { Queue = "sized" });
        Assert.That(await host.Client.GetQueueSizeAsync("sized"), Is.EqualTo(1));

        // A Python client inserts its job, then increments the counter: the action runs in between.
        var inserted = JobRecord.NewQueued("tests.tasks.general.Add", AddParams, "sized", DateTime.UtcNow);
        await host.Storage.Jobs.InsertAsync([inserted], CancellationToken.None);
        Assert.That(await host.Client.CancelJobsAsync(new JobFilter { Ids = [cancelled] }), Is.EqualTo(1));
        await host.Storage.SizeCounter!.AdjustAsync(new Dictionary<string, long> { ["sized"] = 1 }, CancellationToken.None);

        Assert.That(await host.Client.GetQueueSizeAsync("sized"), Is.EqualTo(1), "the inserted job only: a recount would have counted it twice");
    }

    [Test]
    public async Task QueueSize_RequeueByFilter_MovesAndCountsEachJobOnce()
    {
        var host = await StartHostWithCountersAsync();
        var queued = await host.Client.QueueJobAsync("tests.tasks.general.Add", AddParams, new Client.QueueJobOptions { Queue = "from" });
        var failed = JobRecord.NewQueued("tests.tasks.general.Add", AddParams, "from", DateTime.UtcNow);
        failed.Status = JobStatus.Failed;
        await host.Storage.Jobs.InsertAsync([failed], CancellationToken.None);

        // The queued job moves (from -1, to +1); the failed one is requeued into the destination (to +1).
        Assert.That(await host.Client.RequeueJobsAsync(new JobFilter { Queue = "from", Statuses = [JobStatus.Queued, JobStatus.Failed] }, "to"), Is.EqualTo(2));

        Assert.That(await host.Client.GetQueueSizeAsync("from"), Is.Zero);
        Assert.That(await host.Client.GetQueueSizeAsync("to"), Is.EqualTo(2));
        Assert.That((await host.Client.GetJobAsync(queued))!.Queue, Is.EqualTo("to"));
    }

    [Test]
    public async Task QueueSize_JobEnds_CounterFollowsTheOutcomeBeforeItsLogsAreSaved()
    {
        // MRQ's tests read queuesize as soon as they see the terminal status; saving logs takes a while.
        var logsSaved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await StartHostWithCountersAsync(
            o => o.Queues = ["logged"],
            b => b.ConfigureStorage((_, parts) => parts.Logs = new HeldJobLogs(parts.Logs!, logsSaved.Task))
                .AddTask("tests.Logs", (p, ctx) =>
                {
                    Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(ctx.Log, "a line to save");
                    return ValueTask.FromResult<JsonNode?>(null);
                }));
        var id = await host.Client.QueueJobAsync("tests.Logs", null, new Client.QueueJobOptions { Queue = "logged" });
        var run = host.StartWorker();
        try
        {
            await Wait.UntilAsync(async () => (await host.Client.GetJobAsync(id))!.Status == JobStatus.Success, "the outcome is saved");

            Assert.That(await host.Client.GetQueueSizeAsync("logged"), Is.Zero, "counted down with the outcome, while its logs are still being saved");
        }
        finally
        {
            logsSaved.SetResult();
        }

        await run.StopAsync();
    }

    private async Task<MrqTestHost> StartHostWithCountersAsync(Action<Configuration.MrqOptions>? options = null, Action<DependencyInjection.IMrqBuilder>? configure = null)
    {
        if (!_backend.IsDistributed)
        {
            Assert.Ignore("Only the Redis backend keeps queuesize counters; the others count jobs.");
        }

        var host = await StartHostAsync(null, options, configure);
        Assert.That(host.Storage.SizeCounter, Is.Not.Null);
        return host;
    }

    /// <summary>A log store whose job lines wait for <c>release</c> (worker lines pass).</summary>
    private sealed class HeldJobLogs(Mrq.Storage.IJobLogStore inner, Task release) : Mrq.Storage.IJobLogStore
    {
        public async ValueTask AppendAsync(IReadOnlyList<Mrq.Storage.LogBatch> batches, CancellationToken cancellationToken)
        {
            if (batches.Any(b => b.Job is not null))
            {
                await release.WaitAsync(cancellationToken);
            }

            await inner.AppendAsync(batches, cancellationToken);
        }

        public ValueTask<string> GetJobLogsAsync(JobId job, CancellationToken cancellationToken) => inner.GetJobLogsAsync(job, cancellationToken);

        public ValueTask DeleteJobLogsAsync(IReadOnlyCollection<JobId> jobs, CancellationToken cancellationToken) => inner.DeleteJobLogsAsync(jobs, cancellationToken);
    }
}
