using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Health;

/// <summary>The storage answers: it initializes, one job query and the paused-set read return within the timeout.</summary>
internal sealed class MrqStorageHealthCheck(MrqStorage storage, MrqHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StorageTimeout);
        try
        {
            await storage.InitializeAsync(timeout.Token).ConfigureAwait(false);
            await storage.Jobs.QueryAsync(JobFilter.All, 0, 1, timeout.Token).ConfigureAwait(false);
            await storage.QueueStates.GetPausedAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{storage.Capabilities.Name} storage reachable");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{storage.Capabilities.Name} storage did not answer within {options.StorageTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage messages never carry passwords (MrqStorageException contract); driver exceptions are not echoed.
            var message = ex is MrqStorageException ? ex.Message : ex.GetType().Name;
            return new HealthCheckResult(context.Registration.FailureStatus, $"{storage.Capabilities.Name} storage unreachable: {message}");
        }
    }
}
