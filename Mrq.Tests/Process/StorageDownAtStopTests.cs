using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Cli.Supervisor;
using Mrq.Tests.Distributed;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// A real <c>mrq worker</c> told to stop while its MongoDB server (a private CongoDB the test stops) is unreachable:
/// SIGTERM, and SIGTERM after SIGINT, exit within <c>abort_timeout</c> (default 10 s) with exit code 1, the jobs not
/// saved named in one message and no driver stack trace; those jobs stay <c>started</c> for recovery.
/// </summary>
[TestFixture]
[Category("distributed")]
[Category("process")]
public sealed class StorageDownAtStopTests : PrivateMongoClusterTestBase
{
    // The default abort_timeout plus room for a loaded machine to end the process; the driver alone waits 30 s to
    // select a server, which is what the worker used to wait for, once per outcome retry.
    private static readonly TimeSpan s_exitBound = TimeSpan.FromSeconds(10 + 12);

    [TestCase(false, TestName = "{m}(SIGTERM)")]
    [TestCase(true, TestName = "{m}(SIGINT then SIGTERM)")]
    public async Task Worker_StoppedWhileMongoIsDown_ExitsWithinAbortTimeoutSayingWhatWasNotSaved(bool sigintFirst)
    {
        var worker = Cluster.StartWorker(Cluster.Queue);
        await DistributedCluster.WaitUntilStartedAsync(worker);
        var id = await Cluster.Host.Client.QueueJobAsync(BlockTask.Path, Cluster.BlockParams("release"), Cluster.Queue);
        await Cluster.WaitForExecutionsAsync(e => e.Count >= 1, "the job runs");

        await Mongo.StopAsync();
        if (sigintFirst)
        {
            // The job ends after SIGINT; its outcome cannot be saved, so the graceful stop keeps retrying...
            worker.Signal(NativeSignals.SigInt);
            await worker.WaitForStderrAsync("SIGINT: stopping");
            Cluster.Release("release");
            await worker.WaitForFileAsync(Path.Combine(Cluster.Directory, id + BlockTask.DoneSuffix));
        }

        // ...and SIGTERM (at once, or after the SIGINT) bounds the wait.
        var clock = Stopwatch.StartNew();
        worker.Signal(NativeSignals.SigTerm);
        var result = await worker.WaitForExitAsync();
        clock.Stop();

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(clock.Elapsed, Is.LessThan(s_exitBound), $"exited {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM; {result}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[^1], Does.StartWith("mrq: 1 outcomes not saved").And.Contain("recovered by maintenance/reopen"), result.ToString());
        Assert.That(result.Stderr, Does.Contain(id.ToString()), "the unsaved job is named");
        Assert.That(result.Stderr, Does.Not.Contain(" at MongoDB.").And.Not.Contain("   at "), "no driver stack trace");

        // Not lost: the job is still started (with the worker's claim) for maintenance to requeue.
        await Mongo.StartAgainAsync();
        var stored = await Cluster.RawJobs.Find(new BsonDocument("_id", ObjectId.Parse(id.ToString()))).FirstAsync();
        Assert.That(stored["status"].AsString, Is.EqualTo("started"));
    }
}
