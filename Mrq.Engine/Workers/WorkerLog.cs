using Microsoft.Extensions.Logging;

namespace Mrq.Workers;

/// <summary>
/// What a worker says about jobs that did not succeed (MRQ logs a failed job's traceback at error level): an operator
/// reading the service log sees every failure with its id, path and exception. Source-generated: this runs per job.
/// </summary>
internal static partial class WorkerLog
{
    /// <summary>The log category of these messages (a host that reports job endings itself, like <c>mrq run</c>, filters it).</summary>
    public const string Category = "Mrq.Worker.Jobs";

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Job {JobId} ({Path}) ended {Status}: {ExceptionType}")]
    public static partial void JobFailed(ILogger logger, string jobId, string path, string status, string? exceptionType, Exception? exception);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Job {JobId} ({Path}) ended {Status}: {ExceptionType}")]
    public static partial void JobInterrupted(ILogger logger, string jobId, string path, string status, string? exceptionType);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Job {JobId} ({Path}) will be retried: {ExceptionType}")]
    public static partial void JobRetried(ILogger logger, string jobId, string path, string? exceptionType);
}
