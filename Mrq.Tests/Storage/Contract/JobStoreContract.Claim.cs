using System.Collections.Concurrent;
using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

public abstract partial class JobStoreContract
{
    [Test]
    public async Task ClaimAsync_QueuedJobs_FifoByDateQueuedThenId()
    {
        var late = NewJob(dateQueued: T0.AddSeconds(2));
        var tieLow = NewJob(dateQueued: T0.AddSeconds(1));
        var tieHigh = NewJob(dateQueued: T0.AddSeconds(1));
        var early = NewJob(dateQueued: T0);
        var millis = NewJob(dateQueued: T0.AddMilliseconds(1));
        await InsertJobsAsync(tieHigh, late, millis, early, tieLow);

        var claimed = await Part.ClaimAsync(Claim(), Ct);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { early.Id, millis.Id, tieLow.Id, tieHigh.Id, late.Id }));
    }

    [Test]
    public async Task ClaimAsync_Reverse_LifoByDateQueuedThenId()
    {
        var late = NewJob(dateQueued: T0.AddSeconds(2));
        var tieLow = NewJob(dateQueued: T0.AddSeconds(1));
        var tieHigh = NewJob(dateQueued: T0.AddSeconds(1));
        var early = NewJob(dateQueued: T0);
        await InsertJobsAsync(tieHigh, late, early, tieLow);

        var claimed = await Part.ClaimAsync(Claim() with { Reverse = true }, Ct);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { late.Id, tieHigh.Id, tieLow.Id, early.Id }));
    }

    [Test]
    public async Task ClaimAsync_MaxCount_ClaimsAtMostThatMany()
    {
        var jobs = await InsertJobsAsync(Enumerable.Range(0, 5).Select(i => NewJob(dateQueued: T0.AddSeconds(i))).ToArray());

        var first = await Part.ClaimAsync(Claim(maxCount: 3), Ct);
        var second = await Part.ClaimAsync(Claim(maxCount: 3), Ct);
        var third = await Part.ClaimAsync(Claim(maxCount: 3), Ct);

        Assert.That(first.Select(j => j.Id), Is.EqualTo(jobs.Take(3).Select(j => j.Id)));
        Assert.That(second.Select(j => j.Id), Is.EqualTo(jobs.Skip(3).Select(j => j.Id)));
        Assert.That(third, Is.Empty);
    }

    [Test]
    public async Task ClaimAsync_QueuedJob_SetsStartedFieldsAndClearsDateExpires()
    {
        var job = NewJob();
        job.DateExpires = T0.AddDays(1);
        await InsertJobAsync(job);

        var claimed = await Part.ClaimAsync(Claim(worker: WorkerB), Ct);
        var stored = await GetJobAsync(job.Id);

        Assert.That(claimed, Has.Count.EqualTo(1));
        foreach (var record in new[] { claimed[0], stored })
        {
            Assert.That(record.Status, Is.EqualTo(JobStatus.Started));
            AssertUtc(record.DateStarted, ClaimTime, "datestarted");
            Assert.That(record.Worker, Is.EqualTo(WorkerB));
            Assert.That(record.DateExpires, Is.Null);
            Assert.That(record.Path, Is.EqualTo(job.Path));
            AssertSameJson(record.Params, job.Params);
            AssertUtc(record.DateQueued, job.DateQueued, "datequeued");
        }
    }

    [Test]
    public async Task ClaimAsync_ClaimedJob_NeverClaimedAgain()
    {
        await InsertJobsAsync(NewJob(), NewJob());
        var first = await Part.ClaimAsync(Claim(worker: WorkerA), Ct);

        var second = await Part.ClaimAsync(Claim(worker: WorkerB), Ct);

        Assert.That(first, Has.Count.EqualTo(2));
        Assert.That(second, Is.Empty);
        Assert.That((await Part.GetAsync(first.Select(j => j.Id).ToArray(), Ct)).Select(j => j.Worker), Is.All.EqualTo(WorkerA));
    }

    [Test]
    public async Task ClaimAsync_ConcurrentClaimers_ClaimEachJobExactlyOnce()
    {
        var jobs = await InsertJobsAsync(Enumerable.Range(0, 500).Select(i => NewJob(dateQueued: T0.AddMilliseconds(i % 37))).ToArray());
        var claimedBy = new ConcurrentBag<(JobId Id, string Worker)>();

        var claimers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var worker = $"{n:x24}";
            while (true)
            {
                var batch = await Part.ClaimAsync(new ClaimRequest("default", 7, worker, ClaimTime), Ct);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var job in batch)
                {
                    Assert.That(job.Worker, Is.EqualTo(worker));
                    claimedBy.Add((job.Id, worker));
                }
            }
        })).ToArray();
        await Task.WhenAll(claimers);

        var ids = claimedBy.Select(c => c.Id).ToList();
        Assert.That(ids, Has.Count.EqualTo(500));
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Is.EquivalentTo(jobs.Select(j => j.Id)));
        var stored = await Part.GetAsync(ids, Ct);
        var winners = claimedBy.ToDictionary(c => c.Id, c => c.Worker);
        Assert.That(stored.All(j => j.Status == JobStatus.Started && j.Worker == winners[j.Id]), Is.True);
    }

    [Test]
    public async Task ClaimAsync_PathWhitelist_ClaimsOnlyListedPaths()
    {
        var a = NewJob(path: "tests.A");
        var b = NewJob(path: "tests.B");
        var c = NewJob(path: "tests.C");
        await InsertJobsAsync(a, b, c);

        var claimed = await Part.ClaimAsync(Claim() with { PathWhitelist = ["tests.A", "tests.C"] }, Ct);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { a.Id, c.Id }));
        Assert.That((await GetJobAsync(b.Id)).Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task ClaimAsync_PathBlacklist_SkipsListedPaths()
    {
        var a = NewJob(path: "tests.A");
        var b = NewJob(path: "tests.B");
        var c = NewJob(path: "tests.C");
        await InsertJobsAsync(a, b, c);

        var claimed = await Part.ClaimAsync(Claim() with { PathBlacklist = ["tests.A"] }, Ct);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { b.Id, c.Id }));
        Assert.That((await GetJobAsync(a.Id)).Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task ClaimAsync_OtherQueue_TakesNothing()
    {
        var job = await InsertJobAsync(NewJob("q1"));
        var sub = await InsertJobAsync(NewJob("q1/sub"));

        var fromOther = await Part.ClaimAsync(Claim("q2"), Ct);
        var fromPrefix = await Part.ClaimAsync(Claim("q"), Ct);
        var fromQ1 = await Part.ClaimAsync(Claim("q1"), Ct);

        Assert.That(fromOther, Is.Empty);
        Assert.That(fromPrefix, Is.Empty);
        Assert.That(fromQ1.Select(j => j.Id), Is.EqualTo(new[] { job.Id }));
        Assert.That((await GetJobAsync(sub.Id)).Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task ClaimAsync_NonQueuedStatuses_NotClaimed()
    {
        var statuses = JobStatusNames.All.Where(s => s != JobStatus.Queued).ToArray();
        foreach (var status in statuses)
        {
            var job = NewJob();
            job.Status = status;
            await InsertJobAsync(job);
        }

        var queued = await InsertJobAsync(NewJob());

        var claimed = await Part.ClaimAsync(Claim(), Ct);

        Assert.That(claimed.Select(j => j.Id), Is.EqualTo(new[] { queued.Id }));
    }

    [Test]
    public async Task ClaimAsync_AfterReleaseOfAnEarlierClaim_TakesTheReleasedJobFirst()
    {
        var jobs = await InsertJobsAsync(Enumerable.Range(0, 4).Select(i => NewJob(dateQueued: T0.AddSeconds(i))).ToArray());
        var first = await Part.ClaimAsync(Claim(maxCount: 2), Ct);
        var released = await Part.CompleteAsync(
            [new JobOutcome { Id = jobs[0].Id, Worker = WorkerA, Status = JobStatus.Queued, DateUpdated = ClaimTime, DateQueued = jobs[0].DateQueued }],
            Ct);

        var next = await Part.ClaimAsync(Claim(maxCount: 2), Ct);

        Assert.That(first.Select(j => j.Id), Is.EqualTo(jobs.Take(2).Select(j => j.Id)));
        Assert.That(released, Is.EqualTo(new[] { true }));
        Assert.That(next.Select(j => j.Id), Is.EqualTo(new[] { jobs[0].Id, jobs[2].Id }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task ClaimAsync_AfterInsertOfAJobQueuedEarlier_TakesItInOrder(bool reverse)
    {
        var jobs = await InsertJobsAsync(Enumerable.Range(0, 4).Select(i => NewJob(dateQueued: T0.AddSeconds(10 + i))).ToArray());
        var first = await Part.ClaimAsync(Claim(maxCount: 1) with { Reverse = reverse }, Ct);
        var outside = await InsertJobAsync(NewJob(dateQueued: reverse ? T0.AddSeconds(60) : T0));

        var next = await Part.ClaimAsync(Claim(maxCount: 1) with { Reverse = reverse }, Ct);

        Assert.That(first.Select(j => j.Id), Is.EqualTo(new[] { reverse ? jobs[3].Id : jobs[0].Id }));
        Assert.That(next.Select(j => j.Id), Is.EqualTo(new[] { outside.Id }));
    }

    [Test]
    public async Task ClaimAsync_AfterRequeueOfAClaimedJob_TakesItAgain()
    {
        var jobs = await InsertJobsAsync(Enumerable.Range(0, 3).Select(i => NewJob(dateQueued: T0.AddSeconds(i))).ToArray());
        await Part.ClaimAsync(Claim(maxCount: 2), Ct);
        var requeued = await Part.ApplyActionAsync(
            new JobAction(JobActionKind.Requeue, new JobFilter { Ids = [jobs[1].Id] }, jobs[0].DateQueued), Ct);

        var next = await Part.ClaimAsync(Claim(maxCount: 3), Ct);

        Assert.That(requeued, Is.EqualTo(1));
        Assert.That(next.Select(j => j.Id), Is.EquivalentTo(new[] { jobs[1].Id, jobs[2].Id }));
    }

    [Test]
    public async Task ClaimAsync_EmptyQueue_ReturnsEmpty()
    {
        Assert.That(await Part.ClaimAsync(Claim(), Ct), Is.Empty);
    }
}
