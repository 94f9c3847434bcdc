using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

/// <summary>
/// The in-memory job store answers claims, counts and queue discovery from indexes it keeps on every move; these
/// tests walk jobs through every kind of move and check the indexes against a scan.
/// </summary>
[TestFixture]
[Category("inmemory")]
public sealed class InMemoryJobStoreIndexTests
{
    private const string WorkerA = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private const string WorkerB = "bbbbbbbbbbbbbbbbbbbbbbbb";
    private static readonly DateTime s_t0 = new(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private static readonly CancellationToken s_none = CancellationToken.None;

    private IJobStore _store = null!;

    [SetUp]
    public void CreateStore() => _store = InMemoryStorage.AddTo(new MrqStorageParts()).Jobs!;

    private static JobRecord NewJob(string queue, int i) =>
        JobRecord.NewQueued("tests.Noop", new JsonObject { ["i"] = i }, queue, s_t0.AddMilliseconds(i));

    /// <summary>Checks every counter-based answer against a full query.</summary>
    private async Task AssertIndexesMatchScanAsync()
    {
        var all = await _store.QueryAsync(JobFilter.All, 0, int.MaxValue, s_none);
        var expected = all.GroupBy(j => (j.Queue, j.Status)).Select(g => new QueueStatusCount(g.Key.Queue, g.Key.Status, g.Count()));
        Assert.That(await _store.CountByQueueAndStatusAsync(s_none), Is.EquivalentTo(expected));
        Assert.That(await _store.DistinctQueuesAsync("", s_none), Is.EquivalentTo(all.Select(j => j.Queue).Distinct()));
        foreach (var queue in all.Select(j => j.Queue).Distinct())
        {
            var queued = all.Count(j => j.Queue == queue && j.Status == JobStatus.Queued);
            Assert.That(await _store.CountAsync(new JobFilter { Queue = queue, Statuses = [JobStatus.Queued] }, s_none), Is.EqualTo(queued), queue);
        }
    }

    [Test]
    public async Task Indexes_AfterEveryKindOfMove_AgreeWithScan()
    {
        var jobs = Enumerable.Range(0, 40).Select(i => NewJob(i % 2 == 0 ? "even" : "odd", i)).ToArray();
        await _store.InsertAsync(jobs, s_none);
        await AssertIndexesMatchScanAsync();

        var claimed = await _store.ClaimAsync(new ClaimRequest("even", 10, WorkerA, s_t0), s_none);
        await AssertIndexesMatchScanAsync();

        var outcomes = claimed.Select((j, n) => new JobOutcome
        {
            Id = j.Id,
            Worker = WorkerA,
            Status = n switch { 0 => JobStatus.Queued, 1 => JobStatus.Retry, _ => JobStatus.Success },
            DateUpdated = s_t0.AddSeconds(1),
            Queue = n == 0 ? "moved" : null,
            DateQueued = n == 0 ? s_t0.AddSeconds(1) : null,
            DateExpires = n > 1 ? s_t0.AddDays(1) : null,
        }).ToArray();
        Assert.That(await _store.CompleteAsync(outcomes, s_none), Is.All.True);
        await AssertIndexesMatchScanAsync();

        await _store.ApplyActionAsync(new JobAction(JobActionKind.Cancel, new JobFilter { Queue = "odd" }, s_t0), s_none);
        await _store.ApplyActionAsync(new JobAction(JobActionKind.Requeue, new JobFilter { Queue = "odd" }, s_t0, "requeued"), s_none);
        await AssertIndexesMatchScanAsync();

        Assert.That(await _store.DeleteExpiredAsync(s_t0.AddDays(2), s_none), Is.EqualTo(8));
        await AssertIndexesMatchScanAsync();
        Assert.That(await _store.DistinctQueuesAsync("odd", s_none), Is.Empty, "a queue with no job left is forgotten");

        var fromMoved = await _store.ClaimAsync(new ClaimRequest("moved", 10, WorkerB, s_t0), s_none);
        Assert.That(fromMoved.Select(j => j.Id), Is.EqualTo(new[] { claimed[0].Id }));
        await AssertIndexesMatchScanAsync();
    }

    [Test]
    public async Task ClaimAsync_LargeQueueInRandomInsertOrder_FifoAndLifoAcrossBatches()
    {
        var jobs = Enumerable.Range(0, 2000).Select(i => NewJob("big", i)).ToArray();
        await _store.InsertAsync(jobs.OrderBy(_ => Random.Shared.Next()).ToArray(), s_none);

        var head = await _store.ClaimAsync(new ClaimRequest("big", 64, WorkerA, s_t0), s_none);
        var tail = await _store.ClaimAsync(new ClaimRequest("big", 64, WorkerA, s_t0, Reverse: true), s_none);
        var next = await _store.ClaimAsync(new ClaimRequest("big", 64, WorkerA, s_t0), s_none);

        Assert.That(head.Select(j => j.Id), Is.EqualTo(jobs.Take(64).Select(j => j.Id)));
        Assert.That(tail.Select(j => j.Id), Is.EqualTo(jobs.Reverse().Take(64).Select(j => j.Id)));
        Assert.That(next.Select(j => j.Id), Is.EqualTo(jobs.Skip(64).Take(64).Select(j => j.Id)));
        Assert.That(await _store.CountAsync(new JobFilter { Queue = "big", Statuses = [JobStatus.Queued] }, s_none), Is.EqualTo(2000 - 192));
    }

    [Test]
    public async Task ClaimAsync_ReverseWithBlacklist_SkipsListedPathsNewestFirst()
    {
        var jobs = Enumerable.Range(0, 6)
            .Select(i => JobRecord.NewQueued(i % 3 == 0 ? "tests.Skip" : "tests.Take", [], "q", s_t0.AddSeconds(i)))
            .ToArray();
        await _store.InsertAsync(jobs, s_none);

        var claimed = await _store.ClaimAsync(new ClaimRequest("q", 3, WorkerA, s_t0, Reverse: true, PathBlacklist: ["tests.Skip"]), s_none);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { jobs[5].Id, jobs[4].Id, jobs[2].Id }));
    }

    [Test]
    public async Task QueryAsync_SkipBeyondMatches_EmptyAndLimitZeroEmpty()
    {
        await _store.InsertAsync(Enumerable.Range(0, 3).Select(i => NewJob("q", i)).ToArray(), s_none);

        Assert.That(await _store.QueryAsync(JobFilter.All, 3, 10, s_none), Is.Empty);
        Assert.That(await _store.QueryAsync(JobFilter.All, 0, 0, s_none), Is.Empty);
        Assert.That(await _store.QueryAsync(JobFilter.All, 1, int.MaxValue, s_none), Has.Count.EqualTo(2));
    }
}
