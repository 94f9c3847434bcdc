using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The contract of <see cref="IWorkerStore"/>.</summary>
public abstract class WorkerStoreContract : StorageContract<IWorkerStore>
{
    private static readonly DateTime s_t0 = new(2030, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc);

    private static WorkerReport Report(string id, string status, DateTime reported, long doneJobs = 0) => new()
    {
        Id = id,
        Name = "host." + id[..4],
        Status = status,
        Config = new WorkerReportConfig(["default", "high/"], 10, 0, 0, "sequential", "host." + id[..4], "127.0.0.1"),
        DoneJobs = doneJobs,
        DateStarted = s_t0,
        DateReported = reported,
        Process = new WorkerProcessInfo(1234, 1.5, 0.25, 123_456_789),
        Jobs = [new RunningJobReport("0123456789abcdef01234567", "tests.Sleep", s_t0.AddSeconds(1), 2.5)],
    };

    /// <summary>True when the storage stamps <c>datereported</c> with its own clock (MongoDB's <c>$currentDate</c>).</summary>
    protected virtual bool StampsReportTime => false;

    private void AssertSameReport(WorkerReport actual, WorkerReport expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual.Id, Is.EqualTo(expected.Id));
            Assert.That(actual.Name, Is.EqualTo(expected.Name));
            Assert.That(actual.Status, Is.EqualTo(expected.Status));
            Assert.That(actual.Config.Queues, Is.EqualTo(expected.Config.Queues));
            Assert.That(actual.Config with { Queues = expected.Config.Queues }, Is.EqualTo(expected.Config));
            Assert.That(actual.DoneJobs, Is.EqualTo(expected.DoneJobs));
            Assert.That(actual.DateStarted, Is.EqualTo(expected.DateStarted));
            Assert.That(actual.DateStarted.Kind, Is.EqualTo(DateTimeKind.Utc));
            if (StampsReportTime)
            {
                Assert.That(actual.DateReported, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)), "stamped by the server");
            }
            else
            {
                Assert.That(actual.DateReported, Is.EqualTo(expected.DateReported));
            }

            Assert.That(actual.Process, Is.EqualTo(expected.Process));
            Assert.That(actual.Jobs, Is.EqualTo(expected.Jobs));
        }
    }

    [Test]
    public async Task ReportAsync_New_ListedWithEveryField()
    {
        var report = Report("aaaaaaaaaaaaaaaaaaaaaaaa", "wait", s_t0, 5);

        await Part.ReportAsync(report, Ct);
        var listed = await Part.ListAsync(Ct);

        Assert.That(listed, Has.Count.EqualTo(1));
        AssertSameReport(listed[0], report);
    }

    [Test]
    public async Task ReportAsync_SameId_Replaces()
    {
        await Part.ReportAsync(Report("aaaaaaaaaaaaaaaaaaaaaaaa", "init", s_t0), Ct);
        var latest = Report("aaaaaaaaaaaaaaaaaaaaaaaa", "full", s_t0.AddSeconds(10), 7) with { Jobs = [] };

        await Part.ReportAsync(latest, Ct);
        var listed = await Part.ListAsync(Ct);

        Assert.That(listed, Has.Count.EqualTo(1));
        AssertSameReport(listed[0], latest);
    }

    [Test]
    public async Task ListAsync_SeveralWorkers_ListsAll()
    {
        await Part.ReportAsync(Report("aaaaaaaaaaaaaaaaaaaaaaaa", "wait", s_t0), Ct);
        await Part.ReportAsync(Report("bbbbbbbbbbbbbbbbbbbbbbbb", "wait", s_t0), Ct);
        await Part.ReportAsync(Report("cccccccccccccccccccccccc", "stop", s_t0), Ct);

        var listed = await Part.ListAsync(Ct);

        Assert.That(listed.Select(r => r.Id), Is.EquivalentTo(new[] { "aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccc" }));
    }

    [Test]
    public async Task DeleteReportedBeforeAsync_OldReports_DeletedOthersKept()
    {
        Assume.That(StampsReportTime, Is.False, "reports are stamped with the server's time; see the backend's own tests");
        await Part.ReportAsync(Report("aaaaaaaaaaaaaaaaaaaaaaaa", "wait", s_t0), Ct);
        await Part.ReportAsync(Report("bbbbbbbbbbbbbbbbbbbbbbbb", "wait", s_t0.AddSeconds(10)), Ct);
        await Part.ReportAsync(Report("cccccccccccccccccccccccc", "wait", s_t0.AddSeconds(20)), Ct);

        var deleted = await Part.DeleteReportedBeforeAsync(s_t0.AddSeconds(10), Ct);
        var listed = await Part.ListAsync(Ct);

        Assert.That(deleted, Is.EqualTo(1));
        Assert.That(listed.Select(r => r.Id), Is.EquivalentTo(new[] { "bbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccc" }));
    }

    [Test]
    public async Task ListAliveAsync_ReportedNow_AliveUnlessStopped()
    {
        var now = DateTime.UtcNow;
        await Part.ReportAsync(Report("aaaaaaaaaaaaaaaaaaaaaaaa", "wait", now), Ct);
        await Part.ReportAsync(Report("bbbbbbbbbbbbbbbbbbbbbbbb", WorkerReport.StopStatus, now), Ct);

        var alive = await Part.ListAliveAsync(TimeSpan.FromHours(1), now, Ct);

        Assert.That(alive, Is.EqualTo(new[] { "aaaaaaaaaaaaaaaaaaaaaaaa" }));
    }

    [Test]
    public async Task ListAliveAsync_SilentLongerThanLease_Dead()
    {
        Assume.That(StampsReportTime, Is.False, "reports are stamped with the server's time; see the backend's own tests");
        var now = DateTime.UtcNow;
        await Part.ReportAsync(Report("aaaaaaaaaaaaaaaaaaaaaaaa", "wait", now.AddMinutes(-61)), Ct);
        await Part.ReportAsync(Report("bbbbbbbbbbbbbbbbbbbbbbbb", "wait", now.AddMinutes(-59)), Ct);

        var alive = await Part.ListAliveAsync(TimeSpan.FromHours(1), now, Ct);

        Assert.That(alive, Is.EqualTo(new[] { "bbbbbbbbbbbbbbbbbbbbbbbb" }));
    }

    [Test]
    public async Task ListAsync_Fresh_Empty()
    {
        Assert.That(await Part.ListAsync(Ct), Is.Empty);
    }
}
