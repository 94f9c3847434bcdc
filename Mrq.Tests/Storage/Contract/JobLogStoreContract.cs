using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The contract of <see cref="IJobLogStore"/>.</summary>
public abstract class JobLogStoreContract : StorageContract<IJobLogStore>
{
    private static readonly JobId s_job = JobId.Parse("0123456789abcdef01234567");
    private static readonly JobId s_other = JobId.Parse("0123456789abcdef01234568");
    private const string Worker = "aaaaaaaaaaaaaaaaaaaaaaaa";

    [Test]
    public async Task GetJobLogsAsync_SeveralBatches_LinesInOrder()
    {
        await Part.AppendAsync([new LogBatch(s_job, Worker, "line 1\nline 2")], Ct);
        await Part.AppendAsync([new LogBatch(s_job, Worker, "line 3"), new LogBatch(s_job, Worker, "line 4\nline 5")], Ct);

        var logs = await Part.GetJobLogsAsync(s_job, Ct);

        Assert.That(logs, Is.EqualTo("line 1\nline 2\nline 3\nline 4\nline 5"));
    }

    [Test]
    public async Task GetJobLogsAsync_OtherJobsAndWorkerLines_NotMixed()
    {
        await Part.AppendAsync(
            [
                new LogBatch(s_job, Worker, "mine 1"),
                new LogBatch(s_other, Worker, "other 1"),
                new LogBatch(null, Worker, "worker line"),
                new LogBatch(s_job, Worker, "mine 2"),
            ],
            Ct);
        await Part.AppendAsync([new LogBatch(s_other, Worker, "other 2")], Ct);

        Assert.That(await Part.GetJobLogsAsync(s_job, Ct), Is.EqualTo("mine 1\nmine 2"));
        Assert.That(await Part.GetJobLogsAsync(s_other, Ct), Is.EqualTo("other 1\nother 2"));
    }

    [Test]
    public async Task DeleteJobLogsAsync_GivenJobs_TheirLinesGoneOthersKept()
    {
        await Part.AppendAsync([new LogBatch(s_job, Worker, "mine"), new LogBatch(s_other, Worker, "other"), new LogBatch(null, Worker, "worker line")], Ct);

        await Part.DeleteJobLogsAsync([s_job], Ct);

        Assert.That(await Part.GetJobLogsAsync(s_job, Ct), Is.Empty);
        Assert.That(await Part.GetJobLogsAsync(s_other, Ct), Is.EqualTo("other"));
    }

    [Test]
    public async Task GetJobLogsAsync_NoLines_Empty()
    {
        Assert.That(await Part.GetJobLogsAsync(s_job, Ct), Is.Empty);
    }

    [Test]
    public async Task AppendAsync_ManyConcurrentBatches_AllKeptInCallOrderPerCaller()
    {
        var tasks = Enumerable.Range(0, 20).Select(i => Part.AppendAsync([new LogBatch(s_job, Worker, $"l{i}")], Ct).AsTask());
        await Task.WhenAll(tasks);

        var lines = (await Part.GetJobLogsAsync(s_job, Ct)).Split('\n');

        Assert.That(lines, Is.EquivalentTo(Enumerable.Range(0, 20).Select(i => $"l{i}")));
    }
}
