using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Distributed;
using Mrq.Tests.Support;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// A <c>mrq worker</c> killed (SIGKILL) inside a maintenance pass leaves the maintenance lock behind; another worker
/// takes it once it expires (<c>maintenance_lock_ttl</c>, 30 s by default, shortened here) and requeues the jobs stuck
/// <c>started</c> by a dead worker. The first worker is held inside its pass by <see cref="MaintenancePause"/>.
/// </summary>
[TestFixture]
[Category("distributed")]
[Category("process")]
public sealed class KilledDuringMaintenanceTests
{
    private const int LockTtlSeconds = 10;

    private DistributedCluster _cluster = null!;

    [SetUp]
    public async Task SetUpAsync() => _cluster = await DistributedCluster.CreateAsync();

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null!;
        }
    }

    [Test]
    public async Task Worker_KilledInsideMaintenancePass_AnotherWorkerRequeuesStuckJobsOnceTheLockExpires()
    {
        var marker = Path.Combine(_cluster.Directory, "in-maintenance");
        var settings = new Dictionary<string, string>
        {
            ["MRQ_MAINTENANCE_INTERVAL"] = "1",
            ["MRQ_MAINTENANCE_LOCK_TTL"] = LockTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var first = _cluster.StartWorker(new Dictionary<string, string>(settings) { [MaintenancePause.MarkerVariable] = marker }, _cluster.Queue);
        await first.WaitForFileAsync(marker);
        var locks = _cluster.Host.Services.GetRequiredService<MrqStorage>().Locks;
        Assert.That(await locks.TryAcquireAsync(MaintenancePause.LockKey, "probe", TimeSpan.FromSeconds(1), CancellationToken.None), Is.False,
            "the paused worker holds the maintenance lock");

        first.Kill();
        var clock = Stopwatch.StartNew();

        // A job stuck started by a worker that is gone (no report): only maintenance gives it back.
        var stuck = await _cluster.Host.Client.QueueJobAsync(RecordTask.Path, _cluster.RecordParams("stuck"), _cluster.Queue);
        await _cluster.RawJobs.UpdateOneAsync(
            new BsonDocument("_id", ObjectId.Parse(stuck.ToString())),
            new BsonDocument("$set", new BsonDocument { ["status"] = "started", ["worker"] = ObjectId.GenerateNewId(), ["datestarted"] = DateTime.UtcNow }));
        var second = _cluster.StartWorker(settings, _cluster.Queue);

        Assert.That((await Wait.ForEndAsync(_cluster.Host.Client, stuck)).Status, Is.EqualTo(JobStatus.Success), second.Describe());
        clock.Stop();
        TestContext.Out.WriteLine($"stuck job requeued and run {clock.Elapsed.TotalSeconds:0.0} s after the kill (lock TTL {LockTtlSeconds} s)");

        // The pass logs once it has ended, which may be after the job it requeued has run.
        await second.WaitForStderrAsync("1 stale started requeued");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(LockTtlSeconds + 30)), "bounded by the lock's TTL, not the 5-minute lock of old");
    }
}
