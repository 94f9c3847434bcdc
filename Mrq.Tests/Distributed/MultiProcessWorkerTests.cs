using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Tests.Process;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Distributed;

/// <summary>
/// Several <c>mrq worker</c> processes on the same MongoDB database, Redis prefix and queue (issue 3 item 4): every
/// job runs exactly once, and the work is shared. Each job records "&lt;job id&gt; &lt;pid&gt;" when it runs.
/// </summary>
[TestFixture]
[Category("distributed")]
public sealed class MultiProcessWorkerTests
{
    /// <summary>
    /// Regular jobs: 2,000 (each claim on the CongoDB emulator scans the whole collection, a few hundred claims/s in
    /// all, so this is about as many as fit the time budget).
    /// </summary>
    private const int RegularJobs = 2000;

    private const int RawJobs = 2000;
    private const int Workers = 3;

    private DistributedCluster _cluster = null!;

    [SetUp]
    public async Task SetUpAsync() => _cluster = await DistributedCluster.CreateAsync();

    [TearDown]
    public async Task TearDownAsync()
    {
        // Null when the set-up was ignored (no server).
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null!;
        }
    }

    private async Task<IReadOnlyList<MrqCliProcess>> StartWorkersAsync(string queue)
    {
        var workers = Enumerable.Range(0, Workers).Select(_ => _cluster.StartWorker("--greenlets", "4", queue)).ToArray();
        foreach (var worker in workers)
        {
            await DistributedCluster.WaitUntilStartedAsync(worker);
        }

        return workers;
    }

    [Test]
    public async Task Workers_ThreeProcessesOnOneRegularQueue_EveryJobRunsExactlyOnceAndSucceeds()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var workers = await StartWorkersAsync(_cluster.Queue);
        var started = clock.Elapsed;

        var ids = await _cluster.Host.Client.QueueJobsAsync(RecordTask.Path, Enumerable.Range(0, RegularJobs).Select(i => _cluster.RecordParams("j" + i)), _cluster.Queue);
        var queued = clock.Elapsed;
        await _cluster.WaitForExecutionsAsync(e => e.Count >= RegularJobs, $"{RegularJobs} executions are recorded");
        var ran = clock.Elapsed;
        await _cluster.WaitForSuccessCountAsync(_cluster.Queue, RegularJobs);
        TestContext.Out.WriteLine($"workers started {started.TotalSeconds:0.0} s, queued {queued.TotalSeconds:0.0} s, all ran {ran.TotalSeconds:0.0} s, all saved {clock.Elapsed.TotalSeconds:0.0} s");
        var executions = _cluster.Executions();

        var counts = ExecutionRecords.CountByJob(executions);
        Assert.That(counts.Keys, Is.EquivalentTo(ids.Select(id => id.ToString())), "every queued job ran, and nothing else");
        Assert.That(counts.Where(c => c.Value != 1).Select(c => $"{c.Key} ran {c.Value} times"), Is.Empty, "no job ran twice");
        Assert.That(executions, Has.Count.EqualTo(RegularJobs));
        Assert.That(await _cluster.CountRawAsync(_cluster.Queue, JobStatus.Success), Is.EqualTo(RegularJobs));
        Assert.That(await _cluster.RawJobs.CountDocumentsAsync(new BsonDocument("queue", _cluster.Queue)), Is.EqualTo(RegularJobs));
        var pids = executions.Select(e => e.Pid).Distinct().ToArray();
        Assert.That(pids, Is.SubsetOf(workers.Select(w => w.Id)), "jobs ran in the worker processes");
        Assert.That(pids, Has.Length.GreaterThan(1), "more than one process did work: " + Share(executions));
        TestContext.Out.WriteLine($"{RegularJobs} regular jobs over {Workers} processes: {Share(executions)}");
    }

    [Test]
    public async Task Workers_ThreeProcessesOnOneRawQueue_EveryMemberRunsExactlyOnceAndSucceeds()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var workers = await StartWorkersAsync(DistributedTestQueues.RawQueue);
        var started = clock.Elapsed;

        var members = Enumerable.Range(0, RawJobs).Select(i => _cluster.RecordParams("r" + i).ToJsonString()).ToArray();
        await _cluster.Host.Client.QueueRawJobsAsync(DistributedTestQueues.RawQueue, members);
        var queued = clock.Elapsed;
        await _cluster.WaitForExecutionsAsync(e => e.Count >= RawJobs, $"{RawJobs} executions are recorded");
        var ran = clock.Elapsed;
        await _cluster.WaitForSuccessCountAsync(DistributedTestQueues.RawJobsQueue, RawJobs);
        TestContext.Out.WriteLine($"workers started {started.TotalSeconds:0.0} s, queued {queued.TotalSeconds:0.0} s, all ran {ran.TotalSeconds:0.0} s, all saved {clock.Elapsed.TotalSeconds:0.0} s");
        var executions = _cluster.Executions();

        var byTag = executions.GroupBy(e => e.Tag, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.That(byTag.Keys, Is.EquivalentTo(Enumerable.Range(0, RawJobs).Select(i => "r" + i)), "every member ran");
        Assert.That(byTag.Where(c => c.Value != 1).Select(c => $"{c.Key} ran {c.Value} times"), Is.Empty, "no member ran twice");
        Assert.That(ExecutionRecords.CountByJob(executions).Values, Is.All.EqualTo(1), "each raw job got its own id");
        var stored = await _cluster.RawJobs.Find(new BsonDocument("raw_queue", DistributedTestQueues.RawQueue)).ToListAsync();
        Assert.That(stored, Has.Count.EqualTo(RawJobs));
        Assert.That(stored.Select(d => d["status"].AsString), Is.All.EqualTo("success"));
        Assert.That(stored.Select(d => d["_id"].AsObjectId.ToString()), Is.EquivalentTo(executions.Select(e => e.JobId)));
        Assert.That(await _cluster.Host.Client.GetQueueSizeAsync(DistributedTestQueues.RawQueue), Is.Zero);
        var pids = executions.Select(e => e.Pid).Distinct().ToArray();
        Assert.That(pids, Is.SubsetOf(workers.Select(w => w.Id)), "jobs ran in the worker processes");
        Assert.That(pids, Has.Length.GreaterThan(1), "more than one process did work: " + Share(executions));
        TestContext.Out.WriteLine($"{RawJobs} raw jobs over {Workers} processes: {Share(executions)}");
    }

    private static string Share(IEnumerable<Execution> executions) =>
        string.Join(", ", executions.GroupBy(e => e.Pid).Select(g => $"pid {g.Key}: {g.Count()}"));
}
