using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>Storage down at stop: an abort is obeyed within abort_timeout and names the outcomes it could not save.</summary>
public abstract partial class WorkerFaultTestBase
{
    private const double ShortAbortTimeout = 1;

    [Test]
    public async Task StorageDownAtStop_AbortWhileOutcomeSaveHangs_ExitsWithinAbortTimeoutNamingTheJob()
    {
        var faults = new StorageFaults();
        var saves = faults.On<IJobStore>(nameof(IJobStore.CompleteAsync)).Hangs();
        var log = new CapturingLoggerProvider();
        var host = await StartHostAsync(faults, o => o.AbortTimeout = ShortAbortTimeout, log: log);
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        var (run, _, abort) = StartControlledWorker(host);
        await saves.FirstHit.WaitAsync(Wait.Long);

        await abort.CancelAsync();

        var error = await AssertEndsWithUnsavedAsync(run);
        saves.Release();
        Assert.That(error.Message, Does.StartWith("1 outcomes not saved"));
        Assert.That(log.Contains(LogLevel.Error, id.ToString()), Is.True, "the unsaved job is named in the log");
    }

    [Test]
    public async Task StorageDownAtStop_SigtermAfterSigintWhileSavesFail_IsObeyed()
    {
        var faults = new StorageFaults();
        var saves = faults.On<IJobStore>(nameof(IJobStore.CompleteAsync)).Throws(() => new MrqStorageException("server unreachable (test fault)."));
        var host = await StartHostAsync(faults, o => o.AbortTimeout = ShortAbortTimeout);
        await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        var (run, stop, abort) = StartControlledWorker(host);
        await saves.FirstHit.WaitAsync(Wait.Long);

        // SIGINT: a graceful stop keeps retrying the save (the storage may come back)...
        await stop.CancelAsync();
        var hits = saves.Hits;
        await Wait.UntilAsync(() => Task.FromResult(saves.Hits > hits + 1), "the save is retried after the stop");
        Assert.That(run.IsCompleted, Is.False, "a graceful stop waits for the outcome to be saved");

        // ...until SIGTERM, which bounds the wait.
        await abort.CancelAsync();

        var error = await AssertEndsWithUnsavedAsync(run);
        Assert.That(error.Message, Does.Contain("those jobs stay started and are recovered by maintenance/reopen"));
    }

    private static async Task<MrqStorageException> AssertEndsWithUnsavedAsync(Task run)
    {
        MrqStorageException? error = null;
        try
        {
            await run.WaitAsync(Wait.Long);
        }
        catch (MrqStorageException ex)
        {
            error = ex;
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the worker did not exit within {Wait.Long.TotalSeconds} s of the abort (abort_timeout {ShortAbortTimeout} s)");
        }

        Assert.That(error, Is.Not.Null, "the worker ends with an error naming the outcomes not saved");
        return error!;
    }
}
