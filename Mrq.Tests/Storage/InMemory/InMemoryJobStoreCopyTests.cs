using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

/// <summary>
/// The in-memory store keeps no reference to what callers pass or receive: mutating a record (or its params,
/// result or traceback history) on either side of a call never changes what the store holds.
/// </summary>
[TestFixture]
[Category("inmemory")]
public sealed class InMemoryJobStoreCopyTests
{
    private const string Worker = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly DateTime s_t0 = new(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private IJobStore _store = null!;

    [SetUp]
    public void CreateStore() => _store = InMemoryStorage.AddTo(new MrqStorageParts()).Jobs!;

    private static JobRecord NewJob(string queue = "default") =>
        JobRecord.NewQueued("tests.Noop", new JsonObject { ["n"] = 1, ["list"] = new JsonArray(1, 2) }, queue, s_t0);

    private async Task<JobRecord> GetAsync(JobId id) => (await _store.GetAsync([id], CancellationToken.None)).Single();

    [Test]
    public async Task InsertAsync_CallerMutatesRecordAfterwards_StoreUnchanged()
    {
        var job = NewJob();
        job.TracebackHistory.Add(new TracebackEntry(s_t0, JobStatus.Failed, "E", "tb", null, Worker));
        await _store.InsertAsync([job], CancellationToken.None);

        job.Params["n"] = 99;
        job.Params["list"]!.AsArray().Add(3);
        job.Status = JobStatus.Failed;
        job.Queue = "elsewhere";
        job.TracebackHistory.Clear();

        var stored = await GetAsync(job.Id);
        Assert.That(stored.Params.ToJsonString(), Is.EqualTo("""{"n":1,"list":[1,2]}"""));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(stored.Queue, Is.EqualTo("default"));
        Assert.That(stored.TracebackHistory, Has.Count.EqualTo(1));
        Assert.That(await _store.ClaimAsync(new ClaimRequest("default", 10, Worker, s_t0), CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_CallerMutatesReturnedRecord_StoreUnchanged()
    {
        var job = NewJob();
        job.Status = JobStatus.Success;
        job.Result = new JsonObject { ["r"] = 1 };
        await _store.InsertAsync([job], CancellationToken.None);

        var first = await GetAsync(job.Id);
        first.Params["n"] = 99;
        first.Result!.AsObject()["r"] = 2;
        first.Status = JobStatus.Failed;
        first.TracebackHistory.Add(new TracebackEntry(s_t0, JobStatus.Failed, "E", "tb", null, Worker));

        var second = await GetAsync(job.Id);
        Assert.That(second.Params["n"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(second.Result!["r"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(second.Status, Is.EqualTo(JobStatus.Success));
        Assert.That(second.TracebackHistory, Is.Empty);
        Assert.That(second.Params, Is.Not.SameAs(first.Params));
    }

    [Test]
    public async Task ClaimAsync_CallerMutatesClaimedRecord_StoreUnchanged()
    {
        var job = NewJob();
        await _store.InsertAsync([job], CancellationToken.None);

        var claimed = (await _store.ClaimAsync(new ClaimRequest("default", 1, Worker, s_t0), CancellationToken.None)).Single();
        claimed.Params["n"] = 42;
        claimed.Worker = "someone else";

        var stored = await GetAsync(job.Id);
        Assert.That(stored.Params["n"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(stored.Worker, Is.EqualTo(Worker));
    }

    [Test]
    public async Task CompleteAsync_CallerMutatesResultAfterwards_StoreUnchanged()
    {
        await _store.InsertAsync([NewJob()], CancellationToken.None);
        var claimed = (await _store.ClaimAsync(new ClaimRequest("default", 1, Worker, s_t0), CancellationToken.None)).Single();
        var result = new JsonObject { ["answer"] = 42 };

        await _store.CompleteAsync(
            [new JobOutcome { Id = claimed.Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = s_t0, Result = result }],
            CancellationToken.None);
        result["answer"] = 0;

        Assert.That((await GetAsync(claimed.Id)).Result!["answer"]!.GetValue<int>(), Is.EqualTo(42));
    }

    [Test]
    public async Task GetAsync_ParamsAndResultBuiltFromClrValues_ReadBackAsPlainJsonLikeADatabase()
    {
        await _store.InsertAsync([NewJob()], CancellationToken.None);
        var claimed = (await _store.ClaimAsync(new ClaimRequest("default", 1, Worker, s_t0), CancellationToken.None)).Single();
        await _store.CompleteAsync(
            [new JobOutcome { Id = claimed.Id, Worker = Worker, Status = JobStatus.Success, DateUpdated = s_t0, Result = JsonValue.Create(7) }],
            CancellationToken.None);

        var stored = await GetAsync(claimed.Id);

        // An int put in as a CLR int must read as any JSON number, as it would after a LiteDB or MongoDB round trip.
        Assert.That(claimed.Params["n"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(stored.Params["list"]![1]!.GetValue<long>(), Is.EqualTo(2L));
        Assert.That(stored.Result!.GetValue<double>(), Is.EqualTo(7.0));
        Assert.That(stored.Result.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
    }

    [Test]
    public async Task InsertAsync_DuplicateId_ThrowsAndStoresNothingFromTheBatch()
    {
        var existing = NewJob();
        await _store.InsertAsync([existing], CancellationToken.None);
        var fresh = NewJob();

        Assert.ThrowsAsync<ArgumentException>(async () => await _store.InsertAsync([fresh, existing], CancellationToken.None));

        Assert.That(await _store.GetAsync([fresh.Id], CancellationToken.None), Is.Empty);
        Assert.That(await _store.CountAsync(JobFilter.All, CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task InsertAsync_UnspecifiedKindDates_ReturnedAsUtc()
    {
        var job = NewJob();
        job.DateQueued = DateTime.SpecifyKind(s_t0, DateTimeKind.Unspecified);
        await _store.InsertAsync([job], CancellationToken.None);

        var stored = await GetAsync(job.Id);

        Assert.That(stored.DateQueued, Is.EqualTo(s_t0));
        Assert.That(stored.DateQueued.Kind, Is.EqualTo(DateTimeKind.Utc));
    }
}
