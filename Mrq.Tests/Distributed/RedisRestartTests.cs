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
        await _cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Test]
    public async Task Worker_RedisRestartedWhileJobsRun_ReconnectsAndLosesNoResult()
    {
        var worker = _cluster.StartWorker("--greenlets", Blocking.ToString(CultureInfo.InvariantCulture), _cluster.Queue, DistributedTestQueues.RawQueue);
        await DistributedCluster.WaitUntilStartedAsync(worker);
        var client = _cluster.Host.Client;

        // Every greenlet busy with a blocking job, more jobs queued behind them.
        var blocking = await client.QueueJobsAsync(BlockTask.Path, Enumerable.Range(0, Blocking).Select(i => _cluster.BlockParams("release", "block" + i)), _cluster.Queue);
        var waiting = await client.QueueJobsAsync(RecordTask.Path, Enumerable.Range(0, Waiting).Select(i => _cluster.RecordParams("wait" + i)), _cluster.Queue);
        await _cluster.WaitForExecutionsAsync(e => e.Count >= Blocking, "the blocking jobs run");

        // Redis goes away; the blocking jobs end while it is down; it comes back (empty) on the same port.
        await _redis.StopAsync();
        _cluster.Release("release");
        await _cluster.WaitAsync(async () => await _cluster.CountRawAsync(_cluster.Queue, JobStatus.Success) >= Blocking, "the blocking jobs are saved while Redis is down");
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
