using System.Globalization;
using System.Text.Json.Nodes;
using LiteDB;
using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>
/// The LiteDB counters of jobs per (status, queue): kept in the file with the jobs, recounted when a file has none
/// (written before they existed) or when jobs left started were requeued at open, untouched by a rolled-back write.
/// </summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbJobCountsTests
{
    private LiteDbTestStorage _storage = null!;

    [SetUp]
    public async Task CreateAsync() => _storage = await LiteDbTestStorage.CreateAsync();

    [TearDown]
    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private IJobStore Jobs => _storage.Storage.Jobs;

    [Test]
    public async Task Reopened_CountsAreTheFilesCounters()
    {
        await InsertAsync("a", JobStatus.Queued, JobStatus.Queued, JobStatus.Success);

        await _storage.ReopenAsync();

        Assert.That(await CountsAsync(), Is.EqualTo("a queued 2, a success 1"));
    }

    [Test]
    public async Task FileWithoutCounters_IsRecountedWhenOpened()
    {
        await InsertAsync("a", JobStatus.Queued, JobStatus.Failed);
        await InsertAsync("b/c", JobStatus.Cancel);
        await _storage.Storage.DisposeAsync();
        using (var file = LiteDbTestStorage.OpenFile(_storage.FilePath))
        {
            // A file written before the counters existed.
            Assert.That(file.DropCollection("mrq_job_counts"), Is.True);
        }

        await _storage.ReopenAsync();

        Assert.That(await CountsAsync(), Is.EqualTo("a queued 1, a failed 1, b/c cancel 1"));
    }

    [Test]
    public async Task JobsStartedOnDisk_RequeuedAtOpen_AreCountedQueued()
    {
        await InsertAsync("a", JobStatus.Started, JobStatus.Success);
        Assert.That(await CountsAsync(), Is.EqualTo("a started 1, a success 1"));

        await _storage.ReopenAsync();

        Assert.That(await CountsAsync(), Is.EqualTo("a queued 1, a success 1"));
    }

    [Test]
    public async Task FailedWrite_RolledBack_LeavesTheCounts()
    {
        var existing = await InsertAsync("a", JobStatus.Queued);
        var duplicate = new JobRecord { Id = existing[0].Id, Path = "tests.Noop", Params = [], Queue = "b", Status = JobStatus.Queued, DateQueued = DateTime.UtcNow };

        Assert.That(async () => await Jobs.InsertAsync([Job("b", JobStatus.Queued), duplicate], CancellationToken.None), Throws.Exception);

        Assert.That(await CountsAsync(), Is.EqualTo("a queued 1"));
        await _storage.ReopenAsync();
        Assert.That(await CountsAsync(), Is.EqualTo("a queued 1"));
    }

    private async Task<JobRecord[]> InsertAsync(string queue, params JobStatus[] statuses)
    {
        var jobs = statuses.Select(status => Job(queue, status)).ToArray();
        await Jobs.InsertAsync(jobs, CancellationToken.None);
        return jobs;
    }

    private static JobRecord Job(string queue, JobStatus status)
    {
        var job = JobRecord.NewQueued("tests.Noop", new JsonObject(), queue, DateTime.UtcNow);
        job.Status = status;
        if (status != JobStatus.Queued)
        {
            job.Worker = "w";
            job.DateStarted = DateTime.UtcNow;
        }

        return job;
    }

    private async Task<string> CountsAsync() =>
        string.Join(", ", (await Jobs.CountByQueueAndStatusAsync(CancellationToken.None))
            .OrderBy(c => c.Status)
            .ThenBy(c => c.Queue, StringComparer.Ordinal)
            .Select(c => $"{c.Queue} {c.Status.ToMrqName()} {c.Count}"));

}
