using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Tests.Support;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>
/// The worker's failure paths, each driven by <see cref="StorageFaults"/> over a real backend (each fixture supplies
/// it). Split into partials by area; every test names the review finding it proves.
/// </summary>
public abstract partial class WorkerFaultTestBase
{
    private readonly List<MrqTestHost> _hosts = [];
    private readonly List<(Task Run, CancellationTokenSource Stop, CancellationTokenSource Abort)> _owned = [];

    /// <summary>Configures the backend under test (a fresh, empty storage per call).</summary>
    protected abstract void UseStorage(IMrqBuilder builder);

    /// <summary>Removes what the last storage left behind.</summary>
    protected virtual ValueTask CleanupStorageAsync() => ValueTask.CompletedTask;

    /// <summary>A host whose storage parts all go through <paramref name="faults"/>, logging into <paramref name="log"/> when given.</summary>
    internal async Task<MrqTestHost> StartHostAsync(StorageFaults faults, Action<MrqOptions>? options = null, Action<IMrqBuilder>? configure = null, CapturingLoggerProvider? log = null)
    {
        var host = await MrqTestHost.StartAsync(UseStorage, b =>
        {
            configure?.Invoke(b);
            faults.WrapAll(b);
            if (log is not null)
            {
                b.Services.AddSingleton<ILoggerProvider>(log);
            }
        }, options);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A worker whose stop (SIGINT) and abort (SIGTERM) the test can trigger from inside a storage call.</summary>
    internal (Task<WorkerExitReason> Run, CancellationTokenSource Stop, CancellationTokenSource Abort) StartControlledWorker(MrqTestHost host)
    {
        var worker = host.Services.GetRequiredService<IMrqWorkerFactory>().Create();
        var stop = new CancellationTokenSource();
        var abort = new CancellationTokenSource();
        var run = Task.Run(() => worker.RunAsync(stop.Token, abort.Token));
        _owned.Add((run, stop, abort));
        return (run, stop, abort);
    }

    [TearDown]
    public async Task DisposeHostsAsync()
    {
        foreach (var (run, stop, abort) in _owned)
        {
            await abort.CancelAsync();
            try
            {
                await run.WaitAsync(Wait.Long);
            }
            catch (Exception)
            {
                // The test already asserted on this worker; disposal only cleans up.
            }

            stop.Dispose();
            abort.Dispose();
        }

        _owned.Clear();
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _hosts.Clear();
        await CleanupStorageAsync();
    }
}
