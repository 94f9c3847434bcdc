using System.Text.Json.Nodes;
using LiteDB;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>The LiteDB file itself: exclusive opening, corrupt files, reopening after a crash, its unique key index.</summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbFileTests : LiteDbFolderFixture
{
    private string FilePath => Path.Combine(Folder, "jobs.db");

    private static JobRecord NewJob(string queue = "default", JobStatus status = JobStatus.Queued, string? worker = null, int retryCount = 0)
    {
        var now = DateTime.UtcNow;
        var job = JobRecord.NewQueued("tests.Noop", new JsonObject { ["x"] = 1 }, queue, now);
        job.Status = status;
        job.Worker = worker;
        job.DateStarted = worker is null ? null : now;
        job.RetryCount = retryCount;
        return job;
    }

    [Test]
    public async Task InitializeAsync_FileOpenByAnotherStorage_ThrowsClearError()
    {
        await using var first = LiteDbTestStorage.Build(FilePath);
        await first.InitializeAsync();
        await using var second = LiteDbTestStorage.Build(FilePath);

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await second.InitializeAsync());

        Assert.That(error!.Message, Does.Contain(FilePath));
        Assert.That(error.Message, Does.Contain("One LiteDB file serves one process"));
        Assert.That(error.Message, Does.Contain("distributed mode").And.Contain("UseMongo").And.Contain("UseRedis"));
    }

    [Test]
    public async Task InitializeAsync_AfterOtherStorageDisposed_Opens()
    {
        var first = LiteDbTestStorage.Build(FilePath);
        await first.InitializeAsync();
        var job = NewJob();
        await first.Jobs.InsertAsync([job], default);
        await first.DisposeAsync();

        await using var second = LiteDbTestStorage.Build(FilePath);
        await second.InitializeAsync();

        Assert.That(await second.Jobs.GetAsync([job.Id], default), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task InitializeAsync_CorruptFile_ThrowsNamingTheFile()
    {
        var garbage = new byte[64 * 1024];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(FilePath, garbage);
        await using var storage = LiteDbTestStorage.Build(FilePath);

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await storage.InitializeAsync());

        Assert.That(error!.Message, Does.Contain(FilePath));
        Assert.That(error.Message, Does.Contain("corrupt or not a LiteDB database"));
    }

    [Test]
    public async Task InitializeAsync_TextFile_ThrowsNamingTheFile()
    {
        await File.WriteAllTextAsync(FilePath, string.Concat(Enumerable.Repeat("this is not a database\n", 2000)));
        await using var storage = LiteDbTestStorage.Build(FilePath);

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await storage.InitializeAsync());

        Assert.That(error!.Message, Does.Contain(FilePath));
    }

    // LiteDB 5 crops a data file to whole 8 KB pages and takes a file cropped to nothing for a new database, so
    // without a check these files would be cut or overwritten with an empty database.
    [TestCase(8, TestName = "InitializeAsync_TinyTextFile_ThrowsAndLeavesFileUnchanged")]
    [TestCase(8191, TestName = "InitializeAsync_TextFileUnderOnePage_ThrowsAndLeavesFileUnchanged")]
    [TestCase(8192 + 100, TestName = "InitializeAsync_TextFileNotWholePages_ThrowsAndLeavesFileUnchanged")]
    [TestCase(64 * 1024, TestName = "InitializeAsync_TextFileWholePages_ThrowsAndLeavesFileUnchanged")]
    public async Task InitializeAsync_TextFile_ThrowsAndLeavesFileUnchanged(int size)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not a db\n", (size / 9) + 1)))[..size];
        await File.WriteAllBytesAsync(FilePath, text);
        await using var storage = LiteDbTestStorage.Build(FilePath);

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await storage.InitializeAsync());

        Assert.That(error!.Message, Does.Contain(FilePath).And.Contain("corrupt or not a LiteDB database"));
        Assert.That(await File.ReadAllBytesAsync(FilePath), Is.EqualTo(text), "the file must not be modified");
        Assert.That(Directory.GetFiles(Folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "jobs.db" }), "the refused file's lock file is removed");
    }

    [Test]
    public async Task InitializeAsync_EmptyFile_OpensAsNewDatabase()
    {
        await File.WriteAllBytesAsync(FilePath, []);
        await using var storage = LiteDbTestStorage.Build(FilePath);

        await storage.InitializeAsync();
        var job = NewJob();
        await storage.Jobs.InsertAsync([job], default);

        Assert.That(await storage.Jobs.GetAsync([job.Id], default), Has.Count.EqualTo(1));
        Assert.That(new FileInfo(FilePath).Length, Is.GreaterThan(0));
    }

    [Test]
    public async Task InitializeAsync_MissingFile_CreatesFile()
    {
        var nested = Path.Combine(Folder, "jobs.db");
        await using var storage = LiteDbTestStorage.Build(nested);

        await storage.InitializeAsync();

        Assert.That(File.Exists(nested), Is.True);
        Assert.That(storage.Capabilities, Is.EqualTo(new StorageCapabilities("litedb", Durable: true, SharedAcrossProcesses: false)));
    }

    [Test]
    public async Task InitializeAsync_StartedJobsInFile_RequeuedKeepingQueueAndRetryCount()
    {
        var startedOnDisk = NewJob("recovery", JobStatus.Started, "aaaaaaaaaaaaaaaaaaaaaaaa", retryCount: 2);
        var claimedInMemory = NewJob("recovery");
        var finished = NewJob("recovery", JobStatus.Success, "aaaaaaaaaaaaaaaaaaaaaaaa");
        var first = LiteDbTestStorage.Build(FilePath);
        await first.InitializeAsync();
        await first.Jobs.InsertAsync([startedOnDisk, claimedInMemory, finished], default);
        var claimed = await first.Jobs.ClaimAsync(new ClaimRequest("recovery", 10, "bbbbbbbbbbbbbbbbbbbbbbbb", DateTime.UtcNow), default);
        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { claimedInMemory.Id }));
        await first.DisposeAsync();

        await using var reopened = LiteDbTestStorage.Build(FilePath);
        await reopened.InitializeAsync();
        var jobs = (await reopened.Jobs.GetAsync([startedOnDisk.Id, claimedInMemory.Id, finished.Id], default)).ToDictionary(j => j.Id);

        Assert.That(jobs[startedOnDisk.Id].Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(jobs[startedOnDisk.Id].Queue, Is.EqualTo("recovery"));
        Assert.That(jobs[startedOnDisk.Id].RetryCount, Is.EqualTo(2));
        Assert.That(jobs[claimedInMemory.Id].Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(jobs[finished.Id].Status, Is.EqualTo(JobStatus.Success));
        var reclaimed = await reopened.Jobs.ClaimAsync(new ClaimRequest("recovery", 10, "cccccccccccccccccccccccc", DateTime.UtcNow), default);
        Assert.That(reclaimed.Select(j => j.Id), Is.EquivalentTo(new[] { startedOnDisk.Id, claimedInMemory.Id }));
        Assert.That(await reopened.Jobs.CountAsync(new JobFilter { Statuses = [JobStatus.Started] }, default), Is.EqualTo(2));
    }

    [Test]
    public async Task DisposeAsync_AcknowledgedWrites_SurviveReopen()
    {
        var first = LiteDbTestStorage.Build(FilePath);
        await first.InitializeAsync();
        var jobs = Enumerable.Range(0, 300).Select(_ => NewJob()).ToArray();
        await first.Jobs.InsertAsync(jobs, default);
        await first.RawQueues.PushAsync("q_raw", [new RawQueueItem("a"), new RawQueueItem("b")], DateTime.UtcNow, default);
        await first.QueueStates.PauseAsync("default", default);
        await first.DisposeAsync();

        await using var reopened = LiteDbTestStorage.Build(FilePath);
        await reopened.InitializeAsync();

        Assert.That(await reopened.Jobs.CountAsync(JobFilter.All, default), Is.EqualTo(300));
        Assert.That(await reopened.RawQueues.PopAsync("q_raw", 10, DateTime.UtcNow, null, default), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(await reopened.QueueStates.GetPausedAsync(default), Is.EquivalentTo(new[] { "default" }));
    }

    [Test]
    public async Task RawQueue_PushAfterReopen_StaysFifo()
    {
        var first = LiteDbTestStorage.Build(FilePath);
        await first.InitializeAsync();
        await first.RawQueues.PushAsync("q_raw", [new RawQueueItem("1"), new RawQueueItem("2")], DateTime.UtcNow, default);
        await first.DisposeAsync();

        await using var reopened = LiteDbTestStorage.Build(FilePath);
        await reopened.InitializeAsync();
        await reopened.RawQueues.PushAsync("q_raw", [new RawQueueItem("3")], DateTime.UtcNow, default);

        Assert.That(await reopened.RawQueues.PopAsync("q_raw", 10, DateTime.UtcNow, null, default), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    [Test]
    public async Task FlushToDisk_Enabled_WritesStillAcknowledged()
    {
        await using var storage = LiteDbTestStorage.Build(FilePath, options => options.FlushToDisk = true);
        await storage.InitializeAsync();
        var job = NewJob();

        await storage.Jobs.InsertAsync([job], default);
        await storage.Jobs.InsertAsync([NewJob()], default);

        Assert.That(await storage.Jobs.GetAsync([job.Id], default), Has.Count.EqualTo(1));
    }

    [Test]
    public void Jobs_BeforeInitialize_ThrowsInvalidOperation()
    {
        var storage = LiteDbTestStorage.Build(FilePath);

        Assert.ThrowsAsync<InvalidOperationException>(async () => await storage.Jobs.InsertAsync([NewJob()], default));
    }

    private static JobRecord UniqueJob(string? uniqueKey)
    {
        var job = NewJob();
        job.UniqueKey = uniqueKey;
        return job;
    }

    [Test]
    public async Task InsertUniqueAsync_KeyHeld_ReturnsHolderThroughSparseIndex()
    {
        await using (var storage = LiteDbTestStorage.Build(FilePath))
        {
            await storage.InitializeAsync();
            await storage.Jobs.InsertAsync([UniqueJob(null), UniqueJob(null)], default);
            var holder = UniqueJob("k1");
            Assert.That(await storage.Jobs.InsertUniqueAsync(holder, default), Is.EqualTo(holder.Id));

            Assert.That(await storage.Jobs.InsertUniqueAsync(UniqueJob("k1"), default), Is.EqualTo(holder.Id));
            var other = UniqueJob("k2");
            Assert.That(await storage.Jobs.InsertUniqueAsync(other, default), Is.EqualTo(other.Id));
        }

        using var database = LiteDbTestStorage.OpenFile(FilePath);
        var keys = database.Execute(
            $"SELECT {JobFields.UniqueKeyIndexExpression} ANY = 'k1' AS hit FROM {LiteDbCollections.Jobs} WHERE {JobFields.UniqueKeyIndexExpression} ANY = 'k1'").ToList();
        Assert.That(keys, Has.Count.EqualTo(1));
        var plan = database.Execute(
            $"EXPLAIN SELECT $ FROM {LiteDbCollections.Jobs} WHERE {JobFields.UniqueKeyIndexExpression} ANY = 'k1'").Single().AsDocument;
        Assert.That(plan["index"]["name"].AsString, Is.EqualTo(JobFields.UniqueKeyIndex));
    }

    [Test]
    public async Task InitializeAsync_FileWithFormerIndex_DropsItAndKeepsUniqueness()
    {
        JobRecord holder;
        await using (var storage = LiteDbTestStorage.Build(FilePath))
        {
            await storage.InitializeAsync();
            holder = UniqueJob("k1");
            await storage.Jobs.InsertUniqueAsync(holder, default);
            await storage.Jobs.InsertAsync([UniqueJob(null)], default);
        }

        // The layout of files written before the sparse index: one index of every job's key, nulls included.
        using (var database = LiteDbTestStorage.OpenFile(FilePath))
        {
            var jobs = database.GetCollection(LiteDbCollections.Jobs);
            jobs.DropIndex(JobFields.UniqueKeyIndex);
            jobs.EnsureIndex(JobFields.FormerUniqueKeyIndex, "$." + JobFields.FormerUniqueKeyIndex);
        }

        await using (var storage = LiteDbTestStorage.Build(FilePath))
        {
            await storage.InitializeAsync();
            Assert.That(await storage.Jobs.InsertUniqueAsync(UniqueJob("k1"), default), Is.EqualTo(holder.Id));
        }

        using var reopened = LiteDbTestStorage.OpenFile(FilePath);
        var names = reopened.GetCollection("$indexes").Query()
            .Where(BsonExpression.Create("$.collection = @0", LiteDbCollections.Jobs))
            .ToEnumerable().Select(i => i["name"].AsString).ToList();
        Assert.That(names, Does.Contain(JobFields.UniqueKeyIndex).And.Not.Contain(JobFields.FormerUniqueKeyIndex));
    }
}
