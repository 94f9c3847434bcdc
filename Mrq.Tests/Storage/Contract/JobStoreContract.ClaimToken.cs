using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>R3: the claim's datestarted is part of the claim token of every outcome and progress write.</summary>
public abstract partial class JobStoreContract
{
    /// <summary>An immediate-retry outcome of the first claim, and the job claimed again by the same worker.</summary>
    private async Task<(JobOutcome StaleRetry, JobRecord SecondClaim)> ClaimRetryAndClaimAgainAsync()
    {
        var first = await InsertStartedAsync();
        var retry = new JobOutcome
        {
            Id = first.Id,
            Worker = WorkerA,
            DateStarted = first.DateStarted,
            Status = JobStatus.Queued,
            DateUpdated = ClaimTime.AddSeconds(1),
            DateQueued = first.DateQueued,
        };
        Assert.That(await Part.CompleteAsync([retry], Ct), Is.EqualTo(new[] { true }), "first retry outcome");
        var again = await Part.ClaimAsync(new ClaimRequest(first.Queue, 1, WorkerA, ClaimTime.AddSeconds(5)), Ct);
        Assert.That(again.Select(j => j.Id), Is.EqualTo(new[] { first.Id }), "claimed again");
        return (retry, again[0]);
    }

    [Test]
    public async Task CompleteAsync_ResentOutcomeOfEarlierClaimBySameWorker_NotAppliedToNewClaim()
    {
        var (staleRetry, second) = await ClaimRetryAndClaimAgainAsync();

        var resent = await Part.CompleteAsync([staleRetry], Ct);
        var stored = await GetJobAsync(second.Id);

        Assert.That(resent, Is.EqualTo(new[] { false }));
        Assert.That(stored.Status, Is.EqualTo(JobStatus.Started));
        AssertUtc(stored.DateStarted, ClaimTime.AddSeconds(5), "datestarted");
    }

    [Test]
    public async Task CompleteAsync_OutcomeOfCurrentClaim_AppliedAfterStaleOneRefused()
    {
        var (staleRetry, second) = await ClaimRetryAndClaimAgainAsync();
        await Part.CompleteAsync([staleRetry], Ct);

        var current = Outcome(second, JobStatus.Success) with { DateStarted = second.DateStarted };
        var applied = await Part.CompleteAsync([current], Ct);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That((await GetJobAsync(second.Id)).Status, Is.EqualTo(JobStatus.Success));
    }

    [Test]
    public async Task SaveProgressAsync_OfEarlierClaimBySameWorker_Ignored()
    {
        var (staleRetry, second) = await ClaimRetryAndClaimAgainAsync();

        await Part.SaveProgressAsync([new JobProgress(second.Id, WorkerA, 0.3, second.DateStarted)], Ct);
        await Part.SaveProgressAsync([new JobProgress(second.Id, WorkerA, 0.7, staleRetry.DateStarted)], Ct);

        Assert.That((await GetJobAsync(second.Id)).Progress, Is.EqualTo(0.3));
    }
}
