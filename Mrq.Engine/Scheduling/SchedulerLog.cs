using Microsoft.Extensions.Logging;

namespace Mrq.Scheduling;

/// <summary>The scheduler's log messages (category <c>Mrq.Scheduler</c>).</summary>
internal static partial class SchedulerLog
{
    /// <summary>The log category.</summary>
    public const string Category = "Mrq.Scheduler";

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Scheduler: deleted {Hash}")]
    public static partial void Deleted(ILogger logger, string hash);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Scheduler: added {Hash}")]
    public static partial void Added(ILogger logger, string hash);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Scheduler: queued {Jobs} job(s) of {Hash}")]
    public static partial void Queued(ILogger logger, int jobs, string hash);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Scheduler: could not queue {Hash}; it is tried again next tick")]
    public static partial void QueueFailed(ILogger logger, Exception exception, string hash);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Scheduler: skipped the stored entry {Hash}: {Reason}")]
    public static partial void Unreadable(ILogger logger, string hash, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Scheduler tick failed; it runs again in {Interval} s")]
    public static partial void TickFailed(ILogger logger, Exception exception, double interval);
}
