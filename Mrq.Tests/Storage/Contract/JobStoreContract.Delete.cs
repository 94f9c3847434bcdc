using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

public abstract partial class JobStoreContract
{
    [Test]
    public async Task DeleteJobsAsync_GivenIds_OnlyThoseDeletedAndTheirQueueNoLongerCounted()
    {
        var ended = await InsertWithStatusAsync(JobStatus.Success, queue: "mrq_run_x");
        var failed = await InsertWithStatusAsync(JobStatus.Failed, queue: "mrq_run_x");
        var queued = await InsertJobAsync(NewJob("mrq_run_x"));
        var kept = await InsertWithStatusAsync(JobStatus.Success, queue: "other");

        var deleted = await Part.DeleteJobsAsync([ended.Id, failed.Id, queued.Id, NextId()], Ct);

        Assert.That(deleted, Is.EqualTo(3));
        Assert.That(await Part.GetAsync([ended.Id, failed.Id, queued.Id], Ct), Is.Empty);
        Assert.That((await GetJobAsync(kept.Id)).Status, Is.EqualTo(JobStatus.Success));
        var counts = await Part.CountByQueueAndStatusAsync(Ct);
        Assert.That(counts.Select(c => c.Queue), Is.EquivalentTo(new[] { "other" }));
    }

    [Test]
    public async Task DeleteJobsAsync_StartedJobs_Kept()
    {
        var claimed = await InsertStartedAsync();
        var startedOnDisk = await InsertWithStatusAsync(JobStatus.Started, queue: "q");

        var deleted = await Part.DeleteJobsAsync([claimed.Id, startedOnDisk.Id], Ct);

        Assert.That(deleted, Is.Zero);
        Assert.That(await StatusesAsync(claimed, startedOnDisk), Is.EqualTo(new[] { JobStatus.Started, JobStatus.Started }));
    }
}
