using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Context;
using Mrq.DependencyInjection;
using Mrq.Diagnostics;
using Mrq.Maintenance;
using Mrq.Storage;
using Mrq.Tasks;
using Mrq.Workers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Mrq in a service collection.</summary>
public static class MrqServiceCollectionExtensions
{
    /// <summary>
    /// Adds Mrq: the job client (<see cref="IJobClient"/>), the worker factory, maintenance and the storage chosen in
    /// <paramref name="configure"/> (e.g. <c>b.UseLiteDb("jobs.db")</c>). Options are validated at start.
    /// Call <c>AddWorker()</c> on the builder to host a worker that starts and stops with the host.
    /// </summary>
    public static IMrqBuilder AddMrq(this IServiceCollection services, Action<IMrqBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new MrqBuilder(services);
        services.AddOptions<MrqOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MrqOptions>, MrqOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // The application's logging, whether it is added before or after AddMrq (AddLogging only adds what is missing).
        services.AddLogging();
        services.TryAddSingleton(sp =>
        {
            var parts = new MrqStorageParts();
            foreach (var step in sp.GetServices<MrqBuilder.StorageStep>())
            {
                step.Configure(sp, parts);
            }

            return parts.Build();
        });
        services.TryAddSingleton(sp => new TaskRegistry(sp.GetServices<TaskRegistration>(), sp.GetRequiredService<IOptions<MrqOptions>>()));
        services.TryAddSingleton<IMrqTaskCatalog>(sp => sp.GetRequiredService<TaskRegistry>());
        services.TryAddSingleton(sp => MrqMetrics.Create(sp.GetService<MrqBuilder.MetricHook>()?.Hook, sp));
        services.TryAddSingleton<JobCompletionHub>();
        services.TryAddSingleton<JobClient>();
        services.TryAddSingleton<IJobClient>(sp => sp.GetRequiredService<JobClient>());
        services.TryAddSingleton(sp => new MrqConnections(
            sp,
            sp.GetServices<MrqBuilder.ConnectionRegistration>().ToDictionary(c => c.Name, c => c.Factory, StringComparer.Ordinal)));
        services.TryAddSingleton(sp => new JobRuntime(
            sp.GetRequiredService<MrqStorage>(),
            sp.GetRequiredService<TaskRegistry>(),
            sp.GetRequiredService<IOptions<MrqOptions>>().Value,
            sp.GetRequiredService<IJobClient>(),
            sp.GetRequiredService<MrqConnections>(),
            sp.GetRequiredService<MrqMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<MaintenanceRunner>();
        services.TryAddSingleton<IMrqMaintenance>(sp => sp.GetRequiredService<MaintenanceRunner>());
        services.TryAddSingleton<IMrqWorkerFactory, WorkerFactory>();

        // MRQ's mrq.basetasks.*, so fleets that queue or schedule them find them on every worker.
        builder.AddTask<Mrq.BaseTasks.RequeueStartedJobs>();
        builder.AddTask<Mrq.BaseTasks.RequeueInterruptedJobs>();
        builder.AddTask<Mrq.BaseTasks.RequeueRetryJobs>();
        builder.AddTask<Mrq.BaseTasks.JobActionTask>();
        configure?.Invoke(builder);
        return builder;
    }
}
