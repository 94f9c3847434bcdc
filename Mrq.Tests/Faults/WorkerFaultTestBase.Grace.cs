using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Jobs;
using Mrq.Tests.Acceptance.Tasks;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>A cancelled task gets a grace to stop; only a task that ignores its token is called abandoned.</summary>
public abstract partial class WorkerFaultTestBase
{
    private const string AbandonedWarning = "did not stop within";

    [Test]
    public async Task Grace_CooperativeTaskTimesOut_FinallyRunsBeforeOutcomeAndNoAbandonWarning()
    {
        var log = new CapturingLoggerProvider();
        var host = await StartHostAsync(new StorageFaults(), log: log);
        var entries = TestGates.NewName();
        var id = await host.Client.QueueJobAsync("tests.faults.CooperativeTimeout", new JsonObject { ["log"] = entries });
        var run = host.StartWorker();

        var job = await Wait.ForEndAsync(host.Client, id);
        var finallyRanFirst = TestGates.Entries(entries).Contains("finally");
        await run.StopAsync();

        Assert.That(job.Status, Is.EqualTo(JobStatus.Timeout));
        Assert.That(finallyRanFirst, Is.True, "the task's finally ran before its outcome was saved");
        Assert.That(log.Contains(LogLevel.Warning, AbandonedWarning), Is.False);
    }

    [Test]
    public async Task Grace_TokenIgnoringTaskTimesOut_WarnedAsAbandoned()
    {
        var log = new CapturingLoggerProvider();
        var host = await StartHostAsync(new StorageFaults(), o => o.AbandonGrace = 0.2, log: log);
        var gate = TestGates.NewName();
        var id = await host.Client.QueueJobAsync("tests.faults.StubbornTimeout", new JsonObject { ["gate"] = gate });
        var run = host.StartWorker();

        var job = await Wait.ForEndAsync(host.Client, id);
        TestGates.Open(gate);
        await run.StopAsync();

        Assert.That(job.Status, Is.EqualTo(JobStatus.Timeout));
        Assert.That(log.Contains(LogLevel.Warning, AbandonedWarning), Is.True);
    }
}
