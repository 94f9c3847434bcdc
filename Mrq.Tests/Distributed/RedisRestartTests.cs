using System.Globalization;
using Mrq.Jobs;
using Mrq.Tests.Storage.Redis;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Distributed;

/// <summary>
/// A Redis restart while a <c>mrq worker</c> process runs jobs (issue 3 item 3): the worker (jobs in MongoDB, the rest
/// on a private redis-server) reconnects, every job ends success with its result, and jobs queued after the
/// restart, regular and raw, run too. The private server keeps nothing across the restart, as a Redis without
/// persistence does.
/// </summary>
[TestFixture]
[Category("distributed")]
public sealed class RedisRestartTests
{
    private const int Blocking = 4;
    private const int Waiting = 30;
    private const int After = 10;

    private PrivateRedisServer _redis = null!;
    private DistributedCluster _cluster = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _redis = await PrivateRedisServer.StartAsync();
        _cluster = await DistributedCluster.CreateAsync(redisUrl: _redis.Url);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        // Null when the set-up was ignored (no server).
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null!;
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
            _redis = null!;
        }
    }

    /// <summary>How many times the worker logged that claiming failed (a raw pop could not reach Redis).</summary>
    private static int ClaimFailures(Process.MrqCliProcess worker) =>
        worker.Stderr.Split('\n').Count(l => l.Contains("Claiming jobs failed", StringComparison.Ordinal));

    [Test]
    public async Task Worker_RedisRestartedWhileJobsRun_ReconnectsAndLosesNoResult()
    {
        // The raw queue first: every claim pops it (Redis) before claiming from the regular queue (MongoDB).
        var worker = _cluster.StartWorker("--greenlets", Blocking.ToString(CultureInfo.InvariantCulture), DistributedTestQueues.RawQueue, _cluster.Queue);
        await DistributedCluster.WaitUntilStartedAsync(worker);
        var client = _cluster.Host.Client;

        // Every greenlet busy with a blocking job, more jobs queued behind them.
        var blocking = await client.QueueJobsAsync(BlockTask.Path, Enumerable.Range(0, Blocking).Select(i => _cluster.BlockParams("release", "block" + i)), _cluster.Queue);
        var waiting = await client.QueueJobsAsync(RecordTask.Path, Enumerable.Range(0, Waiting).Select(i => _cluster.RecordParams("wait" + i)), _cluster.Queue);
        await _cluster.WaitForExecutionsAsync(e => e.Count >= Blocking, "the blocking jobs run");

        // Redis goes away; the blocking jobs end while it is down and their outcomes reach MongoDB; Redis stays down
        // until the worker has felt it (a command timed out), then comes back, empty, on the same port.
        await _redis.StopAsync();
        _cluster.Release("release");
        await _cluster.WaitAsync(async () => await _cluster.CountRawAsync(_cluster.Queue, JobStatus.Success) >= Blocking, "the blocking jobs are saved while Redis is down");
        await _cluster.WaitAsync(() => Task.FromResult(worker.Stderr.Contains(" warn: Mrq.Worker", StringComparison.Ordinal)), "the worker logs a Redis failure");
        await _redis.StartAgainAsync();

        foreach (var id in blocking.Concat(waiting))
        {
            await AssertSucceededInWorkerAsync(id, worker.Id);
        }

        // Jobs queued after the restart run, on the regular queue and on the raw queue (Redis).
        await _cluster.WaitAsync(async () => await TryReachRedisAsync(), "the client reconnects to Redis");
        var after = await client.QueueJobsAsync(RecordTask.Path, Enumerable.Range(0, After).Select(i => _cluster.RecordParams("after" + i)), _cluster.Queue);
        await client.QueueRawJobsAsync(DistributedTestQueues.RawQueue, Enumerable.Range(0, After).Select(i => _cluster.RecordParams("raw" + i).ToJsonString()));
        foreach (var id in after)
        {
            await AssertSucceededInWorkerAsync(id, worker.Id);
        }

        await _cluster.WaitForSuccessCountAsync(DistributedTestQueues.RawJobsQueue, After);
        var executions = _cluster.Executions();
        Assert.That(executions.Where(e => e.Tag.StartsWith("raw", StringComparison.Ordinal)).Select(e => e.Tag),
            Is.EquivalentTo(Enumerable.Range(0, After).Select(i => "raw" + i)));
        Assert.That(ExecutionRecords.CountByJob(executions).Values, Is.All.EqualTo(1), "no job ran twice");
        Assert.That(executions, Has.Count.EqualTo(Blocking + Waiting + After + After));
        Assert.That(worker.Stderr, Does.Not.Contain("Unhandled exception"));
        TestContext.Out.WriteLine("Worker warnings:\n" + DistributedCluster.Warnings(worker));
    }

    /// <summary>
    /// A worker on a regular queue, then a raw queue, claims a regular job (MongoDB) and then fails to pop the raw
    /// queue (Redis down): the job it already claimed must still run (or be released), not stay started for ever.
    /// </summary>
    [Test]
    public async Task Worker_RedisDownWhenClaimingRegularThenRawQueue_ClaimedRegularJobStillRuns()
    {
        // Pausing ignored (no paused-set read before each claim), so every claim starts with the regular queue.
        var worker = _cluster.StartWorker(
            new Dictionary<string, string> { ["MRQ_PAUSED_QUEUES_REFRESH_INTERVAL"] = "0" },
            "--greenlets", "2", _cluster.Queue, DistributedTestQueues.RawQueue);
        await DistributedCluster.WaitUntilStartedAsync(worker);
        await _redis.StopAsync();

        // Queued with the job store alone (MongoDB): the client's Redis bookkeeping would only wait for its timeout.
        var job = JobRecord.NewQueued(RecordTask.Path, _cluster.RecordParams("claimed-while-down"), _cluster.Queue, DateTime.UtcNow);
        await _cluster.Host.Storage.Jobs.InsertAsync([job], CancellationToken.None);
        var failures = ClaimFailures(worker);

        // The next failure ends a claim that may have begun before the insert; the one after it began after the
        // insert, so it claimed the job from the regular queue and then failed to pop the raw queue.
        await _cluster.WaitAsync(() => Task.FromResult(ClaimFailures(worker) >= failures + 2), "two more claims fail on the raw queue");
        await _redis.StartAgainAsync();

        // Once Redis is back, claims succeed within a few seconds (the retry backoff is at most 5 s).
        JobRecord? seen = null;
        try
        {
            await Support.Wait.UntilAsync(async () => (seen = await _cluster.Host.Client.GetJobAsync(job.Id))?.Status == JobStatus.Success, "the job succeeds", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // Asserted below with the job's state.
        }

        Assert.That(seen?.Status, Is.EqualTo(JobStatus.Success),
            $"job {job.Id} is still {seen?.Status.ToMrqName()} (worker {seen?.Worker}, ran {_cluster.Executions().Count(e => e.JobId == job.Id.ToString())} times): "
            + "it was claimed from the regular queue, then popping the raw queue failed, and the claim was dropped instead of run or released.\n"
            + _cluster.DescribeWorkers());
        Assert.That(seen!.Result?.ToJsonString(), Is.EqualTo(worker.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.That(ExecutionRecords.CountByJob(_cluster.Executions())[job.Id.ToString()], Is.EqualTo(1));
    }

    private async Task AssertSucceededInWorkerAsync(JobId id, int pid)
    {
        JobRecord? job = null;
        await _cluster.WaitAsync(async () => (job = await _cluster.Host.Client.GetJobAsync(id))?.Status == JobStatus.Success, $"job {id} is success");
        Assert.That(job!.Result?.ToJsonString(), Is.EqualTo(pid.ToString(CultureInfo.InvariantCulture)), $"job {id} kept its result");
    }

    private async Task<bool> TryReachRedisAsync()
    {
        try
        {
            await _cluster.Host.Client.IsQueuePausedAsync(_cluster.Queue);
            return true;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or Mrq.Storage.MrqStorageException)
        {
            return false;
        }
    }
}
