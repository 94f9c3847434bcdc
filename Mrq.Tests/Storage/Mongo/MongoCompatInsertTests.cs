using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>
/// F2 and permanent errors: an insert retried after a partial write keeps its ids and makes no duplicates; a
/// document that can never be stored fails as a permanent <see cref="MrqStorageException"/>.
/// </summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoCompatInsertTests
{
    private Action<CommandSucceededEvent>? _onSucceeded;
    private MongoTestDatabase _db = null!;
    private MongoJobStore _store = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _onSucceeded = null;
        _db = await MongoTestDatabase.CreateAsync(configureClient: settings =>
            settings.ClusterConfigurator = cluster => cluster.Subscribe<CommandSucceededEvent>(e => _onSucceeded?.Invoke(e)));
        _store = new MongoJobStore(_db.Connection.Jobs);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private static JobRecord[] NewJobs(int count) => Enumerable.Range(0, count)
        .Select(i => JobRecord.NewQueued("tests.Noop", new JsonObject { ["i"] = i }, "default", DateTime.UtcNow))
        .ToArray();

    private async Task AssertEachStoredOnceAsync(IEnumerable<JobRecord> jobs)
    {
        var stored = await _db.RawJobs.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync();
        Assert.That(stored.Select(d => d["_id"].AsObjectId), Is.EquivalentTo(jobs.Select(j => MongoValues.ToObjectId(j.Id))));
    }

    [Test]
    public async Task InsertAsync_PartOfTheBatchAlreadyWritten_RestInsertedWithoutDuplicates()
    {
        var jobs = NewJobs(5);
        await _db.RawJobs.InsertManyAsync([JobDocumentMapper.ToDocument(jobs[0]), JobDocumentMapper.ToDocument(jobs[3])]);

        await _store.InsertAsync(jobs, CancellationToken.None);

        await AssertEachStoredOnceAsync(jobs);
    }

    [Test]
    public async Task InsertAsync_ReplyLostAfterTheServerWrote_RetriedWithTheSameIds()
    {
        var jobs = NewJobs(4);
        var lost = 0;
        _onSucceeded = e =>
        {
            if (e.CommandName == "insert" && Interlocked.Exchange(ref lost, 1) == 0)
            {
                throw new MongoConnectionException(e.ConnectionId, "injected: the reply of a written insert was lost");
            }
        };

        await _store.InsertAsync(jobs, CancellationToken.None);

        Assert.That(lost, Is.EqualTo(1), "the fault was injected");
        await AssertEachStoredOnceAsync(jobs);
    }

    [Test]
    public void InsertAsync_JobOverTheDocumentSizeLimit_PermanentStorageError()
    {
        var job = JobRecord.NewQueued("tests.Noop", new JsonObject { ["blob"] = new string('x', 17 * 1024 * 1024) }, "default", DateTime.UtcNow);

        var ex = Assert.ThrowsAsync<MrqStorageException>(async () => await _store.InsertAsync([job], CancellationToken.None));

        TestContext.Out.WriteLine(ex!.Message);
        Assert.That(ex.IsPermanent, Is.True);
        Assert.That(ex.InnerException, Is.Not.Null);
    }

    [Test]
    public void AppendAsync_LogBatchOverTheDocumentSizeLimit_PermanentStorageError()
    {
        var logs = new MongoJobLogStore(_db.Connection.Logs);
        var batch = new LogBatch(NewJobs(1)[0].Id, null, new string('y', 17 * 1024 * 1024));

        var ex = Assert.ThrowsAsync<MrqStorageException>(async () => await logs.AppendAsync([batch], CancellationToken.None));

        Assert.That(ex!.IsPermanent, Is.True);
    }

    [Test]
    public void InsertAsync_ServerDown_TransientStorageErrorNotPermanent()
    {
        var error = new MongoConnectionException(new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("127.0.0.1", 1))), "down");

        Assert.That(MongoWriteErrors.IsPermanent(error), Is.False);
        Assert.That(MongoWriteErrors.IsTransient(error), Is.True);
    }
}
