using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Maintenance;
using Mrq.Storage;
using Mrq.Workers;

namespace Mrq.Tests.Support;

/// <summary>An in-process Mrq host for tests: a service provider with a storage, tasks and options, and workers on demand.</summary>
internal sealed class MrqTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<WorkerRun> _runs = [];

    private MrqTestHost(ServiceProvider services)
    {
        _services = services;
    }

    public IServiceProvider Services => _services;

    public IJobClient Client => _services.GetRequiredService<IJobClient>();

    public MrqStorage Storage => _services.GetRequiredService<MrqStorage>();

    public IMrqMaintenance Maintenance => _services.GetRequiredService<IMrqMaintenance>();

    public MrqOptions Options => _services.GetRequiredService<IOptions<MrqOptions>>().Value;

    public static async Task<MrqTestHost> StartAsync(Action<IMrqBuilder> useStorage, Action<IMrqBuilder>? configure = null, Action<MrqOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Warning);
            if (Environment.GetEnvironmentVariable("MRQ_TEST_LOG") == "1")
            {
                b.AddSimpleConsole();
            }
        });
        var builder = services.AddMrq(b =>
        {
            useStorage(b);
            b.AddTasksFrom(typeof(MrqTestHost).Assembly);
            configure?.Invoke(b);
        });
        builder.Configure(o =>
        {
            o.MaxLatency = 0.1;
            o.ReportInterval = 1;
            o.Maintenance = false;
            options?.Invoke(o);
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var host = new MrqTestHost(provider);
        await host.Storage.InitializeAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>Starts a worker in the background.</summary>
    public WorkerRun StartWorker()
    {
        var worker = _services.GetRequiredService<IMrqWorkerFactory>().Create();
        var run = new WorkerRun(worker);
        _runs.Add(run);
        return run;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var run in _runs)
        {
            await run.DisposeAsync().ConfigureAwait(false);
        }

        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
