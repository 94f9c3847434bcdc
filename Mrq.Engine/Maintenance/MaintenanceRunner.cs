using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Diagnostics;
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

    /// <summary>How long the maintenance lock lives without renewal (<c>maintenance_lock_ttl</c>): the delay a process killed mid-pass can cause.</summary>
    private TimeSpan LockTtl => TimeSpan.FromSeconds(_options.MaintenanceLockTtl);

    /// <summary>How often a running pass renews the lock (a third of its life, so two renewals may fail in a row).</summary>
    private TimeSpan LockRenewal => LockTtl / 3;

    public async Task<MaintenanceResult> RunAllAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var token = Guid.NewGuid().ToString("N");
        if (!await _storage.Locks.TryAcquireAsync(LockKey, token, LockTtl, cancellationToken).ConfigureAwait(false))
        {
            return new MaintenanceResult(0, 0, 0, 0);
        }

        // The lock is short and renewed while the pass runs: a process killed mid-pass holds it for LockTtl at most,
        // and a slow pass never outlives it (which would let a second runner in beside it).
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewLockAsync(token, pass);
        try
        {
            var result = new MaintenanceResult(
                await RequeueRetryJobsAsync(pass.Token).ConfigureAwait(false),
                await RequeueInterruptedJobsAsync(pass.Token).ConfigureAwait(false),
                (await RequeueStartedJobsAsync(TimeSpan.FromSeconds(_options.StartedJobsGrace), pass.Token).ConfigureAwait(false)).Requeued,
                await DeleteExpiredAsync(pass.Token).ConfigureAwait(false));
            if (result.Total > 0)
            {
                EngineLog.MaintenancePass(_logger, result.RetryRequeued, result.InterruptedRequeued, result.StartedRequeued, result.ExpiredDeleted);
            }

            return result;
        }
        finally
        {
            await pass.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            try
            {
                await _storage.Locks.ReleaseAsync(LockKey, token, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The lock expires by itself within LockTtl.
                _logger.LogWarning(ex, "Maintenance: releasing the maintenance lock failed; it expires within {Ttl} s.", LockTtl.TotalSeconds);
            }
        }
    }

    /// <summary>
    /// Extends the maintenance lock every <see cref="LockRenewal"/> until <paramref name="pass"/> ends. When the lock
    /// is lost (expired and taken by another process), the pass is cancelled: two runners must not requeue side by side.
    /// </summary>
    private async Task RenewLockAsync(string token, CancellationTokenSource pass)
    {
        var ttl = LockTtl;
        using var timer = new PeriodicTimer(LockRenewal, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(pass.Token).ConfigureAwait(false))
            {
                bool held;
                try
                {
                    held = await _storage.Locks.ExtendAsync(LockKey, token, ttl, pass.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed renewal is retried at the next tick; the lock still has LockTtl - LockRenewal left.
                    EngineLog.MaintenanceLockRenewFailed(_logger, ex);
                    continue;
                }

                if (!held)
                {
                    _logger.LogWarning("Maintenance: the maintenance lock was lost during a pass; stopping this pass.");
                    await pass.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (pass.IsCancellationRequested)
        {
            // The pass ended.
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
        var expires = now + TimeSpan.FromSeconds(_options.DefaultJobTtl);

        // MRQ's rule: a worker is dead when its report is gone (MRQ's TTL deletes it an hour after the last report),
        // stopped, or silent for the whole lease, judged on the storage's clock. Its started jobs are lost runs.
        var alive = await _storage.Workers.ListAliveAsync(TimeSpan.FromSeconds(_options.WorkerLease), now, cancellationToken).ConfigureAwait(false);
        var requeued = await _client.ApplyAsync(
            LostAction(new JobFilter { Statuses = [JobStatus.Started], WorkerNotIn = alive }, now, expires), cancellationToken).ConfigureAwait(false);

        // Jobs of live workers are requeued only long after their task's timeout, and only for the paths this process
        // knows: another process (a Python worker) may run a path with a longer timeout.
        foreach (var (timeout, paths) in _registry.Paths
            .GroupBy(p => _registry.OptionsFor(p).Timeout)
            .Select(g => (g.Key, g.ToArray())))
        {
            requeued += await _client.ApplyAsync(
                LostAction(new JobFilter { Statuses = [JobStatus.Started], Paths = paths, DateStartedBefore = now - timeout - grace }, now, expires),
                cancellationToken).ConfigureAwait(false);
        }

        return new StartedJobsResult(requeued, started);
    }

    private JobAction LostAction(JobFilter filter, DateTime now, DateTime expires) =>
        new(JobActionKind.RequeueLost, filter, now, ExpiresAt: expires) { LostLimit = _options.MaxLost };

    public async Task<long> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        await _storage.Workers.DeleteReportedBeforeAsync(now - TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        return await _storage.Jobs.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false);
    }
}
