using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>The group-commit writer under concurrent callers: every write applied once, a failing write failing alone.</summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbGroupCommitTests
{
    private LiteDbTestStorage _storage = null!;

    private IJobStore Jobs => _storage.Storage.Jobs;

    [SetUp]
    public async Task OpenAsync() => _storage = await LiteDbTestStorage.CreateAsync();

    [TearDown]
    public async Task CloseAsync() => await _storage.DisposeAsync();

    private static JobRecord NewJob(string queue) =>
        JobRecord.NewQueued("tests.Noop", new JsonObject { ["n"] = 1 }, queue, DateTime.UtcNow);

    [Test]
    public async Task ConcurrentCallers_InsertClaimComplete_EachJobDoneExactlyOnce()
    {
        const int Callers = 16;
        const int JobsPerCaller = 40;
        var done = new ConcurrentBag<JobId>();

        var callers = Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            var worker = $"{c:x24}";
            for (var i = 0; i < JobsPerCaller; i += 10)
            {
                await Jobs.InsertAsync(Enumerable.Range(0, 10).Select(_ => NewJob("shared")).ToArray(), default);
                var claimed = await Jobs.ClaimAsync(new ClaimRequest("shared", 7, worker, DateTime.UtcNow), default);
                var applied = await Jobs.CompleteAsync(
                    claimed.Select(j => new JobOutcome { Id = j.Id, Worker = worker, Status = JobStatus.Success, DateUpdated = DateTime.UtcNow }).ToArray(),
                    default);
                Assert.That(applied, Is.All.True);
                foreach (var job in claimed)
                {
                    done.Add(job.Id);
                }
            }
        })).ToArray();
        await Task.WhenAll(callers);

        // Drain what the callers left queued.
        while (await Jobs.ClaimAsync(new ClaimRequest("shared", 100, "ffffffffffffffffffffffff", DateTime.UtcNow), default) is { Count: > 0 } rest)
        {
            await Jobs.CompleteAsync(
                rest.Select(j => new JobOutcome { Id = j.Id, Worker = "ffffffffffffffffffffffff", Status = JobStatus.Success, DateUpdated = DateTime.UtcNow }).ToArray(),
                default);
            foreach (var job in rest)
            {
                done.Add(job.Id);
            }
        }

        Assert.That(done, Has.Count.EqualTo(Callers * JobsPerCaller));
        Assert.That(done, Is.Unique);
        Assert.That(await Jobs.CountAsync(new JobFilter { Statuses = [JobStatus.Success] }, default), Is.EqualTo(Callers * JobsPerCaller));
        Assert.That(await Jobs.CountAsync(new JobFilter { Statuses = [JobStatus.Queued, JobStatus.Started] }, default), Is.Zero);
    }

    [Test]
    public async Task FailingWrite_AmongConcurrentWrites_FailsAloneOthersCommitted()
    {
        var existing = NewJob("dup");
        await Jobs.InsertAsync([existing], default);
        var batches = Enumerable.Range(0, 30).Select(_ => new[] { NewJob("dup"), NewJob("dup") }).ToList();
        var duplicate = new[] { NewJob("dup"), existing };

        // Queued together so the writer is likely to commit them in one group.
        var writes = batches.Select(batch => Jobs.InsertAsync(batch, default).AsTask()).ToList();
        var failing = Jobs.InsertAsync(duplicate, default).AsTask();
        writes.AddRange(batches.Select(_ => Jobs.InsertAsync([NewJob("dup")], default).AsTask()));

        Assert.That(async () => await failing, Throws.Exception);
        await Task.WhenAll(writes);
        Assert.That(await Jobs.CountAsync(new JobFilter { Queue = "dup" }, default), Is.EqualTo(1 + (30 * 2) + 30));
        Assert.That(await Jobs.GetAsync([duplicate[0].Id], default), Is.Empty, "the failed write is rolled back as a whole");
    }

    [Test]
    public async Task FailingWrite_InGroupWithClaims_ClaimsStayConsistent()
    {
        var queued = Enumerable.Range(0, 20).Select(_ => NewJob("mixed")).ToArray();
        await Jobs.InsertAsync(queued, default);
        var existing = queued[0];

        var claims = Enumerable.Range(0, 10)
            .Select(i => Jobs.ClaimAsync(new ClaimRequest("mixed", 2, $"{i:x24}", DateTime.UtcNow), default).AsTask())
            .ToList();
        var failing = Jobs.InsertAsync([NewJob("mixed"), existing], default).AsTask();

        Assert.That(async () => await failing, Throws.Exception);
        var claimed = (await Task.WhenAll(claims)).SelectMany(batch => batch).ToList();
        Assert.That(claimed.Select(j => j.Id), Is.Unique);
        Assert.That(claimed, Has.Count.EqualTo(20));
        Assert.That(await Jobs.CountAsync(new JobFilter { Queue = "mixed", Statuses = [JobStatus.Started] }, default), Is.EqualTo(20));
        Assert.That(await Jobs.ClaimAsync(new ClaimRequest("mixed", 10, "eeeeeeeeeeeeeeeeeeeeeeee", DateTime.UtcNow), default), Is.Empty);
    }

    [Test]
    public async Task CancelledCaller_BeforeWrite_Cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(async () => await Jobs.InsertAsync([NewJob("c")], cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Jobs.CountAsync(JobFilter.All, default), Is.Zero);
    }
}
