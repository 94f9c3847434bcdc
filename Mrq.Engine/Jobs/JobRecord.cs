using System.Text.Json.Nodes;

namespace Mrq.Jobs;

/// <summary>
/// A job as stored, with MRQ's <c>mrq_jobs</c> fields (reference §2.1). Storage backends map each property to the
/// field named in its documentation. Params and results are plain JSON data: nothing stored is ever deserialized
/// into a type chosen by the stored data.
/// </summary>
public sealed class JobRecord
{
    /// <summary><c>_id</c>.</summary>
    public required JobId Id { get; init; }

    /// <summary><c>path</c>: the registered task path.</summary>
    public required string Path { get; init; }

    /// <summary><c>params</c>: always a JSON object.</summary>
    public required JsonObject Params { get; init; }

    /// <summary><c>queue</c>: the regular queue the job belongs to.</summary>
    public required string Queue { get; set; }

    /// <summary><c>status</c>.</summary>
    public required JobStatus Status { get; set; }

    /// <summary><c>datequeued</c> (UTC).</summary>
    public required DateTime DateQueued { get; set; }

    /// <summary><c>datestarted</c> (UTC), set when a worker claims the job.</summary>
    public DateTime? DateStarted { get; set; }

    /// <summary><c>dateupdated</c> (UTC), set by every status save.</summary>
    public DateTime? DateUpdated { get; set; }

    /// <summary><c>dateexpires</c> (UTC): when cleanup may delete the job.</summary>
    public DateTime? DateExpires { get; set; }

    /// <summary><c>dateretry</c> (UTC): when a job in <c>retry</c> becomes due.</summary>
    public DateTime? DateRetry { get; set; }

    /// <summary><c>worker</c>: id of the worker that claimed the job.</summary>
    public string? Worker { get; set; }

    /// <summary><c>result</c>: the task's return value (absent when null).</summary>
    public JsonNode? Result { get; set; }

    /// <summary><c>progress</c>: 0..1.</summary>
    public double? Progress { get; set; }

    /// <summary><c>retry_count</c>.</summary>
    public int RetryCount { get; set; }

    /// <summary><c>lost_count</c>: times requeued from <c>started</c> because its worker was lost (see <see cref="WorkerLost"/>).</summary>
    public int LostCount { get; set; }

    /// <summary><c>exceptiontype</c>.</summary>
    public string? ExceptionType { get; set; }

    /// <summary><c>traceback</c>.</summary>
    public string? Traceback { get; set; }

    /// <summary><c>traceback_history</c>: one entry per exception status.</summary>
    public IList<TracebackEntry> TracebackHistory { get; init; } = [];

    /// <summary><c>raw_queue</c>: the raw queue the job was popped from.</summary>
    public string? RawQueue { get; set; }

    /// <summary><c>totaltime</c>: seconds between start and the final save.</summary>
    public double? TotalTime { get; set; }

    /// <summary>
    /// <c>traceparent</c> (not an MRQ field; Python MRQ ignores it): the W3C trace context of the code that queued the
    /// job, so its run on any worker joins the same trace. Null when nothing was tracing at enqueue.
    /// </summary>
    public string? TraceParent { get; set; }

    /// <summary><c>tracestate</c> (not an MRQ field): the W3C trace state that goes with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; set; }

    /// <summary><c>unique_key</c>: set when the job was queued with a unique key (see <see cref="UniqueJobs"/>).</summary>
    public string? UniqueKey { get; set; }

    /// <summary>Creates a new queued job record.</summary>
    public static JobRecord NewQueued(string path, JsonObject parameters, string queue, DateTime utcNow) => new()
    {
        Id = JobId.NewId(utcNow),
        Path = path,
        Params = parameters,
        Queue = queue,
        Status = JobStatus.Queued,
        DateQueued = utcNow,
    };

    /// <summary>
    /// Creates a job that starts no earlier than <paramref name="dueAt"/>: MRQ's delayed retry (<c>retry</c> with
    /// <c>dateretry</c>, <c>retry_count</c> 0), which MRQ's RequeueRetryJobs and ours move to <c>queued</c> when due.
    /// </summary>
    public static JobRecord NewDelayed(string path, JsonObject parameters, string queue, DateTime utcNow, DateTime dueAt, DateTime expiresAt)
    {
        var job = NewQueued(path, parameters, queue, utcNow);
        job.Status = JobStatus.Retry;
        job.DateUpdated = utcNow;
        job.DateRetry = dueAt;
        job.DateExpires = expiresAt;
        return job;
    }
}
