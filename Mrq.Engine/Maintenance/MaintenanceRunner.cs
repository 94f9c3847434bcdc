using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tasks;

namespace Mrq.Maintenance;

/// <summary>
/// MRQ's maintenance tasks (reference §1.7), run by workers every maintenance_interval under a lock so that one
/// process at a time does the work: requeue due retry jobs, requeue interrupted jobs, requeue started jobs whose
/// worker is gone or that ran far past their timeout, delete expired jobs and stale worker reports.
/// </summary>
internal sealed class MaintenanceRunner : IMrqMaintenance
{
    private const string LockKey = "c:mrq.maintenance";

    private readonly MrqStorage _storage;
    private readonly JobClient _client;
    private readonly TaskRegistry _registry;
    private readonly MrqOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public MaintenanceRunner(MrqStorage storage, JobClient client, TaskRegistry registry, IOptions<MrqOptions> options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _storage = storage;
        _client = client;
        _registry = registry;
        _options = options.Value;
        _time = time;
        _logger = loggerFactory.CreateLogger("Mrq.Maintenance");
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public async Task<MaintenanceResult> RunAllAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var token = Guid.NewGuid().ToString("N");
        if (!await _storage.Locks.TryAcquireAsync(LockKey, token, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false))
        {
            return new MaintenanceResult(0, 0, 0, 0);
        }

        try
        {
            var result = new MaintenanceResult(
                await RequeueRetryJobsAsync(cancellationToken).ConfigureAwait(false),
                await RequeueInterruptedJobsAsync(cancellationToken).ConfigureAwait(false),
                (await RequeueStartedJobsAsync(TimeSpan.FromSeconds(_options.StartedJobsGrace), cancellationToken).ConfigureAwait(false)).Requeued,
                await DeleteExpiredAsync(cancellationToken).ConfigureAwait(false));
            if (result.Total > 0)
            {
                _logger.LogInformation("Maintenance: {Retry} retry jobs requeued, {Interrupted} interrupted requeued, {Started} stale started requeued, {Deleted} expired deleted.",
                    result.RetryRequeued, result.InterruptedRequeued, result.StartedRequeued, result.ExpiredDeleted);
            }

            return result;
        }
        finally
        {
            await _storage.Locks.ReleaseAsync(LockKey, token, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<long> RequeueRetryJobsAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var filter = new JobFilter { Statuses = [JobStatus.Retry], DateRetryBefore = now };
        return await _client.ApplyAsync(new JobAction(JobActionKind.RequeueRetry, filter, now, ExpiresAt: now + TimeSpan.FromSeconds(_options.DefaultJobTtl)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> RequeueInterruptedJobsAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var filter = new JobFilter { Statuses = [JobStatus.Interrupt] };
        return await _client.ApplyAsync(new JobAction(JobActionKind.RequeueRetry, filter, now, ExpiresAt: now + TimeSpan.FromSeconds(_options.DefaultJobTtl)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<StartedJobsResult> RequeueStartedJobsAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        var started = await _storage.Jobs.CountAsync(new JobFilter { Statuses = [JobStatus.Started] }, cancellationToken).ConfigureAwait(false);

        // A worker is alive while it reports: a few report intervals of silence (at least a minute) mean it is gone.
        var silence = TimeSpan.FromSeconds(Math.Max(60, 3 * _options.ReportInterval));
        var reports = await _storage.Workers.ListAsync(cancellationToken).ConfigureAwait(false);
        var alive = reports.Where(r => r.Status != "stop" && r.DateReported >= now - silence).Select(r => r.Id).ToArray();
        var expires = now + TimeSpan.FromSeconds(_options.DefaultJobTtl);
        var requeued = await _client.ApplyAsync(
            new JobAction(JobActionKind.Requeue, new JobFilter { Statuses = [JobStatus.Started], WorkerNotIn = alive }, now, ExpiresAt: expires),
            cancellationToken).ConfigureAwait(false);

        // Jobs of live workers are requeued only long after their timeout: the worker should have saved them by then.
        var longestTimeout = _registry.Paths.Select(p => _registry.OptionsFor(p).Timeout)
            .Append(TimeSpan.FromSeconds(_options.DefaultJobTimeout)).Max();
        requeued += await _client.ApplyAsync(
            new JobAction(JobActionKind.Requeue, new JobFilter { Statuses = [JobStatus.Started], DateStartedBefore = now - longestTimeout - grace }, now, ExpiresAt: expires),
            cancellationToken).ConfigureAwait(false);
        return new StartedJobsResult(requeued, started);
    }

    public async Task<long> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        await _storage.Workers.DeleteReportedBeforeAsync(now - TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        return await _storage.Jobs.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false);
    }
}
