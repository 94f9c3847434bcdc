using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mrq.Configuration;
using Mrq.Monitoring;
using Mrq.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Mrq monitoring read model.</summary>
public static class MrqMonitoringServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMrqMonitor"/> over the storage registered by <c>AddMrq</c> (idempotent), to read queues, jobs,
    /// workers and task statistics from your own code. The dashboard needs no registration (it uses
    /// <see cref="GetMrqMonitor"/>).
    /// </summary>
    public static IServiceCollection AddMrqMonitoring(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(Create);
        return services;
    }

    /// <summary>The registered <see cref="IMrqMonitor"/>, else a new one over the services <c>AddMrq</c> registered.</summary>
    /// <exception cref="InvalidOperationException">Mrq is not registered (<c>AddMrq</c> was not called).</exception>
    public static IMrqMonitor GetMrqMonitor(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<IMrqMonitor>() is { } registered)
        {
            return registered;
        }

        if (services.GetService<MrqStorage>() is null)
        {
            throw new InvalidOperationException("Mrq is not registered: call services.AddMrq(...) before using its monitoring or dashboard.");
        }

        return Create(services);
    }

    private static IMrqMonitor Create(IServiceProvider services) => new MrqMonitor(
        services.GetRequiredService<MrqStorage>(),
        services.GetRequiredService<IOptions<MrqOptions>>(),
        services.GetRequiredService<TimeProvider>());
}
