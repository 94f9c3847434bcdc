using System.Text.Json.Nodes;
using LiteDB;
using Mrq.Jobs;
using Mrq.Storage.LiteDb;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>The writer checkpoints a grown journal once it is quiet, instead of leaving it to a caller's commit.</summary>
[TestFixture]
[Category("litedb")]
public sealed class IdleCheckpointTests : LiteDbFolderFixture
{
    [Test]
    public void IsAvailable_OnThePinnedLiteDb_FindsItsSoftCheckpoint()
    {
        // Reached by reflection: a LiteDB upgrade that moves it must fail here, not silently bring the latency back.
        using var database = new LiteDatabase(Path.Combine(Folder, "plain.db"));

        Assert.That(IdleCheckpoint.IsAvailable(database), Is.True);
    }

    [Test]
    public async Task QuietWriter_JournalPastTheThreshold_CheckpointedWithoutAnotherWrite()
    {
        var path = Path.Combine(Folder, "jobs.db");
        await using var database = new LiteDbDatabase(new LiteDbStorageOptions { Path = path, FlushToDisk = false });
        var jobs = new LiteDbJobStore(database);
        await database.InitializeAsync(default);
        var journal = LiteDbDatabase.JournalPathOf(path);
        var padding = new string('x', 64 * 1024);

        // Grow the journal past the idle threshold but below LiteDB's own (1,000 pages), where LiteDB would checkpoint
        // inside the commit itself; a quiet moment in between may already checkpoint, which only means more writes.
        var written = 0;
        while (JournalLength(journal) < IdleCheckpoint.JournalBytes)
        {
            var job = JobRecord.NewQueued("tests.Noop", new JsonObject { ["padding"] = padding, ["n"] = written++ }, "q", DateTime.UtcNow);
            await jobs.InsertAsync([job], default);
            Assert.That(written, Is.LessThan(10_000), "the journal never reached the threshold");
        }

        Assert.That(JournalLength(journal), Is.LessThan(1000L * 8192), "LiteDB's own checkpoint did not run inside a commit");

        await Wait.UntilAsync(() => Task.FromResult(JournalLength(journal) == 0), "the quiet writer emptied the journal into the data file", TimeSpan.FromSeconds(30));
        Assert.That(await jobs.CountAsync(new JobFilter { Queue = "q", Statuses = [JobStatus.Queued] }, default), Is.EqualTo(written), "every job is in the file");
    }

    [Test]
    public async Task FailingCheckpoint_TriedOnceUntilTheNextWrite_WritesGoOn()
    {
        var path = Path.Combine(Folder, "failing.db");
        using var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var journal = LiteDbDatabase.JournalPathOf(path);
        var calls = 0;
        var firstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var checkpoint = new IdleCheckpoint(journal, _ => () =>
        {
            (Interlocked.Increment(ref calls) == 1 ? firstCall : secondCall).TrySetResult();
            throw new InvalidOperationException("checkpoint failed");
        });
        var writer = new LiteDbWriter(database, new WriteFailureRecovery(path, () => database, () => null), null, null, null, checkpoint);
        var padding = new string('x', 64 * 1024);
        Task Insert() => writer.WriteAsync(db => db.GetCollection("padding").Insert(new BsonDocument { ["p"] = padding }), readsOnly: false, default);

        while (JournalLength(journal) < IdleCheckpoint.JournalBytes)
        {
            await Insert();
        }

        await firstCall.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Without a write nothing may change: a writer retrying every 2 ms would call it ~100 more times here.
        await Task.Delay(200);
        Assert.That(Volatile.Read(ref calls), Is.EqualTo(1), "a failed checkpoint is not retried in a loop");

        await Insert();
        await secondCall.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(database.GetCollection("padding").Count(), Is.GreaterThan(1), "writes went on after the failed checkpoint");
        await writer.StopAsync();
    }

    private static long JournalLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
