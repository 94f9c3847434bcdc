using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>
/// Counts per queue and status (the overview, <c>mrq queues</c>) and counts of status/queue filters stay exactly
/// the jobs listed, through every way a job is added, moves or goes away.
/// </summary>
public abstract partial class JobStoreContract
{
    /// <summary>Asserts the counts equal what listing every job gives (a few status/queue filters too).</summary>
    protected async Task AssertCountsExactAsync(string step)
    {
        var jobs = await Part.QueryAsync(JobFilter.All, 0, 100_000, Ct);
        var expected = jobs.GroupBy(j => (j.Queue, j.Status)).ToDictionary(g => g.Key, g => (long)g.Count());
        var counted = (await Part.CountByQueueAndStatusAsync(Ct)).ToDictionary(c => (c.Queue, c.Status), c => c.Count);
        Assert.That(counted, Is.EquivalentTo(expected), $"counts by queue and status after {step}");
        foreach (var filter in new[]
        {
            JobFilter.All,
            new JobFilter { Statuses = [JobStatus.Queued] },
            new JobFilter { Statuses = [JobStatus.Started, JobStatus.Success] },
            new JobFilter { Queue = "a" },
            new JobFilter { Queue = "a/", Statuses = [JobStatus.Queued] },
        })
        {
            Assert.That(await Part.CountAsync(filter, Ct), Is.EqualTo(jobs.Count(filter.Matches)), $"CountAsync({filter}) after {step}");
        }
    }

    [Test]
    public async Task Counts_StayExact_ThroughEnqueueClaimCompleteCancelRequeueDeleteAndExpiry()
    {
        var a = await InsertJobsAsync(NewJob("a"), NewJob("a"), NewJob("a"), NewJob("a/sub"));
        var b = await InsertJobsAsync(NewJob("b"), NewJob("b"));
        await AssertCountsExactAsync("enqueue");

        var claimed = await Part.ClaimAsync(Claim("a", 2), Ct);
        Assert.That(claimed, Has.Count.EqualTo(2));
        await AssertCountsExactAsync("claim");

        var done = await Part.CompleteAsync(
        [
            Outcome(claimed[0], JobStatus.Success) with { DateStarted = claimed[0].DateStarted, DateExpires = T0.AddDays(1) },
            Outcome(claimed[1], JobStatus.Failed) with { DateStarted = claimed[1].DateStarted },
        ], Ct);
        Assert.That(done, Is.EqualTo(new[] { true, true }));
        await AssertCountsExactAsync("complete");

        Assert.That(await ActAsync(JobActionKind.Cancel, new JobFilter { Queue = "b" }), Is.EqualTo(2));
        await AssertCountsExactAsync("cancel");

        Assert.That(await ActAsync(JobActionKind.Requeue, new JobFilter { Statuses = [JobStatus.Failed] }, destination: "c"), Is.EqualTo(1));
        await AssertCountsExactAsync("requeue to another queue");

        var retried = await Part.ClaimAsync(Claim("c", 1), Ct);
        var retry = await Part.CompleteAsync([Outcome(retried[0], JobStatus.Queued) with { DateStarted = retried[0].DateStarted, Queue = "a" }], Ct);
        Assert.That(retry, Is.EqualTo(new[] { true }));
        await AssertCountsExactAsync("an immediate retry onto another queue");

        Assert.That(await Part.DeleteJobsAsync([b[0].Id, a[3].Id], Ct), Is.EqualTo(2));
        await AssertCountsExactAsync("delete");

        Assert.That(await Part.DeleteExpiredAsync(T0.AddDays(2), Ct), Is.EqualTo(1));
        await AssertCountsExactAsync("expiry");
    }

    [Test]
    public async Task Counts_OfJobsInsertedInAnyStatus_AreExact()
    {
        await InsertWithStatusAsync(JobStatus.Success, "a");
        await InsertWithStatusAsync(JobStatus.Retry, "a");
        await InsertWithStatusAsync(JobStatus.MaxRetries, "x/y");
        await InsertWithStatusAsync(JobStatus.Queued, "x/y");

        await AssertCountsExactAsync("inserts in several statuses");
    }
}
