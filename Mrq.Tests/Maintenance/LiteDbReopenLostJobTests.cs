using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Tests.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.LostJobs;

/// <summary>LiteDB's requeue-on-reopen counts lost runs like maintenance does, and fails a poison job.</summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbReopenLostJobTests : LiteDbFolderFixture
{
    private string FilePath => Path.Combine(Folder, "jobs.db");

    private static JobRecord StartedJob(int lostCount) => new()
    {
        Id = JobId.NewId(DateTime.UtcNow),
        Path = "tests.Noop",
        Params = new JsonObject(),
        Queue = "recovery",
        Status = JobStatus.Started,
        DateQueued = DateTime.UtcNow,
        DateStarted = DateTime.UtcNow,
        Worker = "aaaaaaaaaaaaaaaaaaaaaaaa",
        RetryCount = 1,
        LostCount = lostCount,
    };

    [Test]
    public async Task Reopen_StartedJobs_LostCountedAndThirdLossFailsWorkerLost()
    {
        var firstLoss = StartedJob(lostCount: 0);
        var thirdLoss = StartedJob(lostCount: WorkerLost.DefaultLimit - 1);
        await using (var first = LiteDbTestStorage.Build(FilePath))
        {
            await first.InitializeAsync();
            await first.Jobs.InsertAsync([firstLoss, thirdLoss], default);
        }

        await using var reopened = LiteDbTestStorage.Build(FilePath);
        await reopened.InitializeAsync();
        var jobs = (await reopened.Jobs.GetAsync([firstLoss.Id, thirdLoss.Id], default)).ToDictionary(j => j.Id);

        Assert.That(jobs[firstLoss.Id].Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(jobs[firstLoss.Id].LostCount, Is.EqualTo(1));
        Assert.That(jobs[firstLoss.Id].RetryCount, Is.EqualTo(1));
        Assert.That(jobs[thirdLoss.Id].Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(jobs[thirdLoss.Id].ExceptionType, Is.EqualTo(WorkerLost.ExceptionType));
        Assert.That(jobs[thirdLoss.Id].LostCount, Is.EqualTo(WorkerLost.DefaultLimit));
    }
}
