using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Storage;

namespace Mrq.Health;

/// <summary>
/// The hosted worker runs and its report is fresh in the storage. A worker that failed or ended by itself is
/// unhealthy (the host keeps running otherwise, processing nothing); one whose report is stale is unhealthy too.
/// </summary>
internal sealed class MrqWorkerHealthCheck(
    MrqHostedWorker hosted,
    MrqStorage storage,
    IOptions<MrqOptions> mrqOptions,
    MrqHealthCheckOptions options,
    TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (hosted.EndedUnexpectedly is { } ended)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Mrq worker not running: {ended}");
        }

        if (hosted.Worker is not { } worker)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Mrq worker not started");
        }

        var maxAge = options.MaxReportAge ?? TimeSpan.FromSeconds((3 * mrqOptions.Value.ReportInterval) + 30);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StorageTimeout);
        IReadOnlyList<WorkerReport> reports;
        try
        {
            reports = await storage.Workers.ListAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Mrq worker reports cannot be read: {(ex is MrqStorageException ? ex.Message : ex.GetType().Name)}");
        }

        var data = new Dictionary<string, object> { ["worker"] = worker.Name, ["status"] = worker.Status, ["done_jobs"] = worker.DoneJobs };
        var report = reports.FirstOrDefault(r => r.Id == worker.Id);
        if (report is null)
        {
            // Before its first report (the worker reports before its first claim) there is nothing to judge yet.
            return worker.Status == "init"
                ? HealthCheckResult.Healthy("Mrq worker starting", data)
                : new HealthCheckResult(context.Registration.FailureStatus, $"Mrq worker {worker.Name} has no stored report", data: data);
        }

        var age = time.GetUtcNow().UtcDateTime - report.DateReported;
        data["report_age_seconds"] = Math.Round(age.TotalSeconds, 1);
        return age > maxAge
            ? new HealthCheckResult(context.Registration.FailureStatus, $"Mrq worker {worker.Name} last reported {age.TotalSeconds:0} s ago (limit {maxAge.TotalSeconds:0} s)", data: data)
            : HealthCheckResult.Healthy($"Mrq worker {worker.Name} running ({worker.Status})", data);
    }
}
