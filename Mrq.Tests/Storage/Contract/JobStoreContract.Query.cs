using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

public abstract partial class JobStoreContract
{
    [Test]
    public async Task QueryAsync_AllJobs_NewestIdFirstWithSkipAndLimit()
    {
        var jobs = await InsertJobsAsync(Enumerable.Range(0, 6).Select(i => NewJob(dateQueued: T0.AddSeconds(-i))).ToArray());
        var newestFirst = jobs.Select(j => j.Id).Reverse().ToArray();

        var all = await Part.QueryAsync(JobFilter.All, 0, 100, Ct);
        var page = await Part.QueryAsync(JobFilter.All, 2, 3, Ct);
        var beyond = await Part.QueryAsync(JobFilter.All, 6, 10, Ct);

        Assert.That(all.Select(j => j.Id), Is.EqualTo(newestFirst));
        Assert.That(page.Select(j => j.Id), Is.EqualTo(newestFirst.Skip(2).Take(3)));
        Assert.That(beyond, Is.Empty);
    }

    [Test]
    public async Task QueryAsync_Filter_ReturnsMatchingRecords()
    {
        var a = await InsertJobAsync(NewJob("qa", "tests.A"));
        await InsertJobAsync(NewJob("qb", "tests.A"));
        var c = await InsertJobAsync(NewJob("qa", "tests.A"));
        await InsertJobAsync(NewJob("qa", "tests.B"));

        var found = await Part.QueryAsync(new JobFilter { Queue = "qa", Paths = ["tests.A"] }, 0, 10, Ct);

        Assert.That(found.Select(j => j.Id), Is.EqualTo(new[] { c.Id, a.Id }));
        AssertSameRecord(found[1], a);
    }

    [Test]
    public async Task CountAsync_Filter_CountsMatches()
    {
        await InsertJobsAsync(NewJob("x"), NewJob("x"), NewJob("x/1"), NewJob("y"));
        await InsertWithStatusAsync(JobStatus.Failed, "x");

        Assert.That(await Part.CountAsync(JobFilter.All, Ct), Is.EqualTo(5));
        Assert.That(await Part.CountAsync(new JobFilter { Queue = "x" }, Ct), Is.EqualTo(3));
        Assert.That(await Part.CountAsync(new JobFilter { Queue = "x/" }, Ct), Is.EqualTo(4));
        Assert.That(await Part.CountAsync(new JobFilter { Queue = "x", Statuses = [JobStatus.Queued] }, Ct), Is.EqualTo(2));
        Assert.That(await Part.CountAsync(new JobFilter { Statuses = [JobStatus.Success] }, Ct), Is.Zero);
    }

    [Test]
    public async Task CountByQueueAndStatusAsync_Jobs_GroupedCounts()
    {
        await InsertJobsAsync(NewJob("a"), NewJob("a"), NewJob("b"));
        await InsertWithStatusAsync(JobStatus.Failed, "a");
        await InsertWithStatusAsync(JobStatus.Success, "b");
        await InsertWithStatusAsync(JobStatus.Success, "b");

        var counts = await Part.CountByQueueAndStatusAsync(Ct);

        Assert.That(counts, Is.EquivalentTo(new[]
        {
            new QueueStatusCount("a", JobStatus.Queued, 2),
            new QueueStatusCount("a", JobStatus.Failed, 1),
            new QueueStatusCount("b", JobStatus.Queued, 1),
            new QueueStatusCount("b", JobStatus.Success, 2),
        }));
    }

    [Test]
    public async Task Counts_ClaimedJobs_CountedAsStarted()
    {
        await InsertJobsAsync(NewJob("c"), NewJob("c"), NewJob("c"), NewJob("other"));
        var claimed = await Part.ClaimAsync(Claim("c", 2), Ct);

        Assert.That(await Part.CountAsync(new JobFilter { Queue = "c", Statuses = [JobStatus.Queued] }, Ct), Is.EqualTo(1));
        Assert.That(await Part.CountAsync(new JobFilter { Queue = "c", Statuses = [JobStatus.Started] }, Ct), Is.EqualTo(2));
        Assert.That(await Part.CountAsync(new JobFilter { Queue = "c", Statuses = [JobStatus.Queued, JobStatus.Started] }, Ct), Is.EqualTo(3));
        Assert.That(await Part.CountAsync(new JobFilter { Statuses = [JobStatus.Started], Worker = WorkerA }, Ct), Is.EqualTo(2));
        Assert.That(await Part.CountByQueueAndStatusAsync(Ct), Is.EquivalentTo(new[]
        {
            new QueueStatusCount("c", JobStatus.Queued, 1),
            new QueueStatusCount("c", JobStatus.Started, 2),
            new QueueStatusCount("other", JobStatus.Queued, 1),
        }));
        var started = await Part.QueryAsync(new JobFilter { Statuses = [JobStatus.Started] }, 0, 10, Ct);
        Assert.That(started.Select(j => j.Id), Is.EqualTo(claimed.Select(j => j.Id).Reverse()));
        Assert.That(started.Select(j => j.Worker), Is.All.EqualTo(WorkerA));
        var all = await Part.QueryAsync(new JobFilter { Queue = "c" }, 0, 10, Ct);
        Assert.That(all.Count(j => j.Status == JobStatus.Started), Is.EqualTo(2));
    }

    [Test]
    public async Task DistinctQueuesAsync_Prefix_ReturnsMatchingQueuesOnce()
    {
        await InsertJobsAsync(NewJob("a"), NewJob("a/x"), NewJob("a/x"), NewJob("a/y"), NewJob("ab"), NewJob("b"));

        var subqueues = await Part.DistinctQueuesAsync("a/", Ct);
        var startingWithA = await Part.DistinctQueuesAsync("a", Ct);
        var all = await Part.DistinctQueuesAsync("", Ct);

        Assert.That(subqueues, Is.EquivalentTo(new[] { "a/x", "a/y" }));
        Assert.That(startingWithA, Is.EquivalentTo(new[] { "a", "a/x", "a/y", "ab" }));
        Assert.That(all, Is.EquivalentTo(new[] { "a", "a/x", "a/y", "ab", "b" }));
    }

    [Test]
    public async Task DeleteExpiredAsync_Now_DeletesOnlyExpiredJobs()
    {
        var expired = NewJob();
        expired.Status = JobStatus.Success;
        expired.DateExpires = T0.AddDays(1);
        var atNow = NewJob();
        atNow.Status = JobStatus.Success;
        atNow.DateExpires = T0.AddDays(2);
        var future = NewJob();
        future.Status = JobStatus.Failed;
        future.DateExpires = T0.AddDays(2).AddMilliseconds(1);
        var never = NewJob();
        await InsertJobsAsync(expired, atNow, future, never);

        var deleted = await Part.DeleteExpiredAsync(T0.AddDays(2), Ct);

        Assert.That(deleted, Is.EqualTo(2));
        var remaining = await Part.GetAsync([expired.Id, atNow.Id, future.Id, never.Id], Ct);
        Assert.That(remaining.Select(j => j.Id), Is.EquivalentTo(new[] { future.Id, never.Id }));
    }

    [Test]
    public async Task DeleteExpiredAsync_QueuedJobsWithExpiryFromARequeue_DeletedOncePast()
    {
        // MRQ's TTL index deletes any job whose dateexpires has passed, a job still queued after a requeue too.
        var soon = NewJob("requeued");
        soon.Status = JobStatus.Failed;
        var later = NewJob("requeued/sub");
        later.Status = JobStatus.Failed;
        var plain = NewJob("requeued");
        await InsertJobsAsync(soon, later, plain);
        await Part.ApplyActionAsync(new JobAction(JobActionKind.Requeue, new JobFilter { Ids = [soon.Id] }, T0, ExpiresAt: T0.AddDays(1)), Ct);
        await Part.ApplyActionAsync(new JobAction(JobActionKind.Requeue, new JobFilter { Ids = [later.Id] }, T0, ExpiresAt: T0.AddDays(3)), Ct);

        var deleted = await Part.DeleteExpiredAsync(T0.AddDays(2), Ct);

        Assert.That(deleted, Is.EqualTo(1));
        var remaining = await Part.GetAsync([soon.Id, later.Id, plain.Id], Ct);
        Assert.That(remaining.Select(j => (j.Id, j.Status)), Is.EquivalentTo(new[] { (later.Id, JobStatus.Queued), (plain.Id, JobStatus.Queued) }));
        Assert.That((await Part.ClaimAsync(Claim("requeued"), Ct)).Select(j => j.Id), Is.EqualTo(new[] { plain.Id }));
    }

    [Test]
    public async Task DeleteExpiredAsync_ClaimedJobWhoseExpiryHadPassed_KeptStarted()
    {
        // A claim unsets dateexpires (MRQ's dequeue), so a running job is never deleted by expiry.
        var job = NewJob("claimed");
        job.DateExpires = T0.AddDays(1);
        await InsertJobAsync(job);
        Assert.That(await Part.ClaimAsync(Claim("claimed"), Ct), Has.Count.EqualTo(1));

        var deleted = await Part.DeleteExpiredAsync(T0.AddDays(2), Ct);

        Assert.That(deleted, Is.Zero);
        var stored = await GetJobAsync(job.Id);
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Started));
        Assert.That(stored.DateExpires, Is.Null);
    }
}
