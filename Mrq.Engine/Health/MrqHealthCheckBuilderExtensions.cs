using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mrq.DependencyInjection;
using Mrq.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Mrq's health checks for <c>MapHealthChecks</c>.</summary>
public static class MrqHealthCheckBuilderExtensions
{
    /// <summary>
    /// Adds <c>mrq-storage</c> (the storage answers), <c>mrq-worker</c> when a hosted worker is added (it runs and
    /// reports) and, when <see cref="MrqHealthCheckOptions.MaxQueuedAge"/> is set, <c>mrq-queue-age</c>.
    /// </summary>
    public static IMrqBuilder AddHealthChecks(this IMrqBuilder builder, Action<MrqHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MrqHealthCheckOptions();
        configure?.Invoke(options);
        var services = builder.Services;
        services.AddSingleton(options);
        var checks = services.AddHealthChecks();
        checks.Add(new HealthCheckRegistration("mrq-storage", sp => ActivatorUtilities.CreateInstance<MrqStorageHealthCheck>(sp), HealthStatus.Unhealthy, options.Tags));
        checks.Add(new HealthCheckRegistration(
            "mrq-worker",
            sp => sp.GetService<MrqHostedWorker>() is null
                ? new NoHostedWorkerCheck()
                : ActivatorUtilities.CreateInstance<MrqWorkerHealthCheck>(sp),
            HealthStatus.Unhealthy,
            options.Tags));
        if (options.MaxQueuedAge is not null)
        {
            checks.Add(new HealthCheckRegistration("mrq-queue-age", sp => ActivatorUtilities.CreateInstance<MrqQueueAgeHealthCheck>(sp), options.QueueAgeStatus, options.Tags));
        }

        return builder;
    }

    /// <summary>The app only queues jobs (no <c>AddWorker</c>): there is no worker to judge here.</summary>
    private sealed class NoHostedWorkerCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy("no hosted Mrq worker in this app"));
    }
}
