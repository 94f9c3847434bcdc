using System.Globalization;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Distributed;

/// <summary>
/// A MongoDB restart while a <c>mrq worker</c> process runs jobs (issue 3 item 3). The server is a private CongoDB
/// that keeps its data in a file across the restart (tools/mongo-wire/start-congo-persistent.mjs); Redis is the
/// shared test server. The worker holds started jobs when the server stops; they end while it is down; after the
/// restart every job ends success with its result, and jobs queued after the restart run too.
/// </summary>
[TestFixture]
[Category("distributed")]
public sealed class MongoRestartTests : PrivateMongoClusterTestBase
{
    private const int Blocking = 4;
    private const int Waiting = 30;
    private const int After = 10;

    [Test]
    public async Task Worker_MongoRestartedWhileJobsRun_ReconnectsAndLosesNoResult()
    {
        var worker = Cluster.StartWorker("--greenlets", Blocking.ToString(CultureInfo.InvariantCulture), Cluster.Queue);
        await DistributedCluster.WaitUntilStartedAsync(worker);
        var client = Cluster.Host.Client;

        // Every greenlet busy with a blocking job (so no claim is in flight when the server stops), more jobs queued.
        var blocking = await client.QueueJobsAsync(BlockTask.Path, Enumerable.Range(0, Blocking).Select(i => Cluster.BlockParams("release", "block" + i)), Cluster.Queue);
        var waiting = await client.QueueJobsAsync(RecordTask.Path, Enumerable.Range(0, Waiting).Select(i => Cluster.RecordParams("wait" + i)), Cluster.Queue);
        await Cluster.WaitForExecutionsAsync(e => e.Count >= Blocking, "the blocking jobs run");
        Assert.That(await Cluster.CountRawAsync(Cluster.Queue, JobStatus.Started), Is.EqualTo(Blocking));

        // MongoDB goes away; the blocking jobs end while it is down (their outcomes cannot be saved yet); it comes back.
        await Mongo.StopAsync();
        Cluster.Release("release");
        await Cluster.WaitAsync(
            () => Task.FromResult(blocking.All(id => File.Exists(Path.Combine(Cluster.Directory, id + BlockTask.DoneSuffix)))),
            "the blocking jobs have ended");
        await Mongo.StartAgainAsync();
        Assert.That(Mongo.Output, Does.Contain("congodb restored"), "the server restarted from its snapshot");

        foreach (var id in blocking.Concat(waiting))
        {
            await AssertSucceededInWorkerAsync(id, worker.Id);
        }

        // Jobs queued after the restart run.
        var after = await client.QueueJobsAsync(RecordTask.Path, Enumerable.Range(0, After).Select(i => Cluster.RecordParams("after" + i)), Cluster.Queue);
        foreach (var id in after)
        {
            await AssertSucceededInWorkerAsync(id, worker.Id);
        }

        var executions = Cluster.Executions();
        Assert.That(ExecutionRecords.CountByJob(executions).Values, Is.All.EqualTo(1), "no job ran twice");
        Assert.That(executions, Has.Count.EqualTo(Blocking + Waiting + After));
        Assert.That(await Cluster.RawJobs.CountDocumentsAsync(new BsonDocument("status", new BsonDocument("$ne", "success"))), Is.Zero);
        Assert.That(worker.Stderr, Does.Not.Contain("Unhandled exception"));
        TestContext.Out.WriteLine("Worker warnings:\n" + DistributedCluster.Warnings(worker));
    }

    private async Task AssertSucceededInWorkerAsync(JobId id, int pid)
    {
        JobRecord? job = null;
        await Cluster.WaitAsync(
            async () =>
            {
                try
                {
                    return (job = await Cluster.Host.Client.GetJobAsync(id))?.Status == JobStatus.Success;
                }
                catch (Exception ex) when (ex is MongoException or TimeoutException)
                {
                    // The test's own client reconnects too.
                    return false;
                }
            },
            $"job {id} is success");
        Assert.That(job!.Result?.ToJsonString(), Is.EqualTo(pid.ToString(CultureInfo.InvariantCulture)), $"job {id} kept its result");
    }
}
