using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>What the holder says about itself: its process, the file it holds and its monitor's settings.</summary>
/// <param name="Pid">The holder's process id.</param>
/// <param name="File">The LiteDB file it holds.</param>
/// <param name="ScanLimit">Its monitor's scan limit.</param>
/// <param name="StaleAfter">Its monitor's stale-worker age.</param>
internal sealed record ControlHello(int Pid, string File, int ScanLimit, TimeSpan StaleAfter);

/// <summary>An error the holder raised: its kind (a type name, see <see cref="ControlProtocol.Rethrow"/>) and message.</summary>
internal sealed record ControlError(string Type, string Message);

/// <summary>One request: an operation and its arguments, sent as one line of JSON on a new connection.</summary>
/// <param name="Operation">One of the <see cref="ControlProtocol"/> operations.</param>
/// <param name="Arguments">Its arguments.</param>
internal sealed record ControlRequest(string Operation, JsonObject? Arguments);

/// <summary>The one line of JSON that answers a request: its value, or the error it raised.</summary>
/// <param name="Value">The operation's answer (null for none).</param>
/// <param name="Error">The error, or null on success.</param>
internal sealed record ControlReply(JsonNode? Value, ControlError? Error);

/// <summary>The answer of <see cref="ControlProtocol.FindJobIds"/>.</summary>
/// <param name="Ids">The matching ids.</param>
/// <param name="Truncated">True when the scan stopped at the scan limit.</param>
internal sealed record FoundJobIds(IReadOnlyList<JobId> Ids, bool Truncated);

/// <summary>
/// The operations of the control endpoint and how errors cross it. Each connection carries one request and its
/// reply, each one line of UTF-8 JSON (<see cref="ControlJson.Options"/> never writes a raw line break); a client
/// that closes its connection before the reply cancels the operation.
/// </summary>
internal static class ControlProtocol
{
    /// <summary>How long a client waits for the first answer before taking the socket for a dead one.</summary>
    public static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    public const string Hello = "hello";
    public const string Overview = "monitor/overview";
    public const string SearchJobs = "monitor/search-jobs";
    public const string FindJobIds = "monitor/find-job-ids";
    public const string JobDetails = "monitor/job";
    public const string Workers = "monitor/workers";
    public const string PeekRawQueue = "monitor/peek-raw-queue";
    public const string TaskStats = "monitor/task-stats";
    public const string QueueJob = "client/queue-job";
    public const string QueueJobWithOptions = "client/queue-job-with-options";
    public const string QueueJobs = "client/queue-jobs";
    public const string QueueRawJobs = "client/queue-raw-jobs";
    public const string QueueScoredRawJobs = "client/queue-scored-raw-jobs";
    public const string JobResult = "client/job-result";
    public const string Job = "client/job";
    public const string Wait = "client/wait";
    public const string Cancel = "client/cancel";
    public const string Requeue = "client/requeue";
    public const string CancelJobs = "client/cancel-jobs";
    public const string RequeueJobs = "client/requeue-jobs";
    public const string ListJobs = "client/list-jobs";
    public const string JobLogs = "client/job-logs";
    public const string QueueSize = "client/queue-size";
    public const string QueueStats = "client/queue-stats";
    public const string Pause = "client/pause";
    public const string Resume = "client/resume";
    public const string IsPaused = "client/is-paused";
    public const string ListRawJobs = "client/list-raw-jobs";
    public const string RemoveRawJobs = "client/remove-raw-jobs";

    /// <summary>The error sent for an exception the holder raised.</summary>
    public static ControlError Describe(Exception error) => error switch
    {
        ArgumentException => new(nameof(ArgumentException), error.Message),
        KeyNotFoundException => new(nameof(KeyNotFoundException), error.Message),
        TimeoutException => new(nameof(TimeoutException), error.Message),
        TaskNotFoundException => new(nameof(TaskNotFoundException), error.Message),
        MrqStorageException => new(nameof(MrqStorageException), error.Message),
        _ => new(nameof(InvalidOperationException), $"{error.GetType().Name}: {error.Message}"),
    };

    /// <summary>The exception to raise on the caller's side, of the same kind as the holder's.</summary>
    public static Exception Rethrow(ControlError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Type switch
        {
            nameof(ArgumentException) => new ArgumentException(error.Message),
            nameof(KeyNotFoundException) => new KeyNotFoundException(error.Message),
            nameof(TimeoutException) => new TimeoutException(error.Message),
            nameof(TaskNotFoundException) => new TaskNotFoundException(error.Message),
            nameof(MrqStorageException) => new MrqStorageException(error.Message),
            _ => new InvalidOperationException(error.Message),
        };
    }
}
