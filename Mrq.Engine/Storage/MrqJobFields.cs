namespace Mrq.Storage;

/// <summary>
/// MRQ's field names in <c>mrq_jobs</c> documents (reference §2.1), shared by every document backend so that a job
/// stored by one reads the same in MRQ and in the others.
/// </summary>
public static class MrqJobFields
{
    /// <summary><c>_id</c>.</summary>
    public const string Id = "_id";

    /// <summary><c>path</c>.</summary>
    public const string Path = "path";

    /// <summary><c>params</c>.</summary>
    public const string Params = "params";

    /// <summary><c>queue</c>.</summary>
    public const string Queue = "queue";

    /// <summary><c>status</c>.</summary>
    public const string Status = "status";

    /// <summary><c>datequeued</c>.</summary>
    public const string DateQueued = "datequeued";

    /// <summary><c>datestarted</c>.</summary>
    public const string DateStarted = "datestarted";

    /// <summary><c>dateupdated</c>.</summary>
    public const string DateUpdated = "dateupdated";

    /// <summary><c>dateexpires</c>.</summary>
    public const string DateExpires = "dateexpires";

    /// <summary><c>dateretry</c>.</summary>
    public const string DateRetry = "dateretry";

    /// <summary><c>worker</c>.</summary>
    public const string Worker = "worker";

    /// <summary><c>result</c>.</summary>
    public const string Result = "result";

    /// <summary><c>progress</c>.</summary>
    public const string Progress = "progress";

    /// <summary>
    /// <c>lost_count</c>: how many times the job was requeued from <c>started</c> because its worker died (not an MRQ
    /// field: Python MRQ ignores it and its own requeues keep it).
    /// </summary>
    public const string LostCount = "lost_count";

    /// <summary>
    /// <c>unique_key</c>: the job's unique key (not an MRQ field: Python MRQ ignores it). While a job holding it is in
    /// one of <see cref="Jobs.UniqueJobs.HoldingStatuses"/>, queueing the same key returns that job.
    /// </summary>
    public const string UniqueKey = "unique_key";

    /// <summary><c>retry_count</c>.</summary>
    public const string RetryCount = "retry_count";

    /// <summary><c>exceptiontype</c>.</summary>
    public const string ExceptionType = "exceptiontype";

    /// <summary><c>traceback</c>.</summary>
    public const string Traceback = "traceback";

    /// <summary><c>traceback_history</c>.</summary>
    public const string TracebackHistory = "traceback_history";

    /// <summary><c>raw_queue</c>.</summary>
    public const string RawQueue = "raw_queue";

    /// <summary><c>totaltime</c>.</summary>
    public const string TotalTime = "totaltime";

    /// <summary><c>time</c> (MRQ's <c>trace_greenlets</c>).</summary>
    public const string Time = "time";

    /// <summary><c>switches</c> (MRQ's <c>trace_greenlets</c>).</summary>
    public const string Switches = "switches";

    /// <summary><c>traceparent</c>: the W3C trace context of the enqueuing code (not an MRQ field: Python MRQ ignores it).</summary>
    public const string TraceParent = "traceparent";

    /// <summary><c>tracestate</c>: the W3C trace state of the enqueuing code (not an MRQ field).</summary>
    public const string TraceState = "tracestate";

    /// <summary><c>date</c> of a <c>traceback_history</c> entry.</summary>
    public const string HistoryDate = "date";

    /// <summary><c>original_traceback</c> of a <c>traceback_history</c> entry.</summary>
    public const string HistoryOriginalTraceback = "original_traceback";
}
