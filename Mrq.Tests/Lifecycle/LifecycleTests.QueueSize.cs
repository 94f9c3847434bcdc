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

    private async Task<MrqTestHost> StartHostWithCountersAsync()
    {
        if (!_backend.IsDistributed)
        {
            Assert.Ignore("Only the Redis backend keeps queuesize counters; the others count jobs.");
        }

        var host = await StartHostAsync();
        Assert.That(host.Storage.SizeCounter, Is.Not.Null);
        return host;
    }
}
