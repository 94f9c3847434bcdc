using Microsoft.Extensions.Logging;

namespace Mrq.Diagnostics;

/// <summary>
/// The worker's and maintenance's recurring messages (every poll, batch, report or pass, and repeated for as long
/// as a storage outage lasts), source-generated so a disabled level costs nothing and an enabled one allocates no
/// boxed arguments. One-off messages (start, stop, rare faults) stay plain <c>Log…</c> calls.
/// </summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Claiming jobs failed; retrying in {Delay} ms.")]
    public static partial void ClaimFailed(ILogger logger, Exception exception, double delay);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Claiming from {Queue} failed; running the {Count} jobs already claimed from other queues.")]
    public static partial void ClaimFromQueueFailed(ILogger logger, Exception exception, string queue, int count);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Waiting for queue notifications failed; polling instead.")]
    public static partial void NotificationWaitFailed(ILogger logger, Exception exception);

    // One line per retry, the exception's message only: an unreachable server would otherwise print its driver's
    // stack trace on every retry. The full exception goes to SaveFailedDetail at debug level.
    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "{What} failed ({Error}); retrying in {Delay} ms.")]
    public static partial void SaveRetrying(ILogger logger, string what, string error, double delay);

    [LoggerMessage(EventId = 211, Level = LogLevel.Debug, Message = "{What} failed.")]
    public static partial void SaveFailedDetail(ILogger logger, Exception exception, string what);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Updating queue size counters failed; the changes are kept for the next batch.")]
    public static partial void SizeCountersFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Waking workers for requeued jobs on {Queue} failed.")]
    public static partial void WakeFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Worker report failed; next try in {Interval} s.")]
    public static partial void ReportFailed(ILogger logger, Exception exception, double interval);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "Checking for stranded jobs of this worker failed; next try in {Interval} s.")]
    public static partial void OwnClaimsCheckFailed(ILogger logger, Exception exception, double interval);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Maintenance pass failed; it runs again in {Interval} s.")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception, double interval);

    [LoggerMessage(EventId = 209, Level = LogLevel.Information, Message = "Maintenance: {Retry} retry jobs requeued, {Interrupted} interrupted requeued, {Started} stale started requeued or failed as lost, {Deleted} expired deleted.")]
    public static partial void MaintenancePass(ILogger logger, long retry, long interrupted, long started, long deleted);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Maintenance: renewing the maintenance lock failed; retrying.")]
    public static partial void MaintenanceLockRenewFailed(ILogger logger, Exception exception);
}
