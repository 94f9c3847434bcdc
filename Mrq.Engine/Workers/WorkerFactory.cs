using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Context;
using Mrq.Maintenance;
using Mrq.Scheduling;
using Mrq.Storage;

namespace Mrq.Workers;

/// <summary>Creates workers over the host's services.</summary>
internal sealed class WorkerFactory : IMrqWorkerFactory
{
    private readonly IServiceProvider _services;

    public WorkerFactory(IServiceProvider services)
    {
        _services = services;
    }

    public IMrqWorker Create() => new Worker(
        _services.GetRequiredService<MrqStorage>(),
        _services.GetRequiredService<JobRuntime>(),
        _services.GetRequiredService<IOptions<MrqOptions>>(),
        _services.GetRequiredService<IServiceScopeFactory>(),
        _services.GetRequiredService<JobCompletionHub>(),
        _services.GetRequiredService<MaintenanceRunner>(),
        _services.GetRequiredService<ILoggerFactory>(),
        _services.GetRequiredService<TimeProvider>(),
        _services.GetRequiredService<IOptions<MrqOptions>>().Value.Scheduler ? ActivatorUtilities.CreateInstance<MrqScheduler>(_services) : null);
}
