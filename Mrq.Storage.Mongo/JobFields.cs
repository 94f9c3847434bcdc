namespace Mrq.Storage.Mongo;

/// <summary>MRQ's field names in <c>mrq_jobs</c> documents (reference §2.1).</summary>
internal static class JobFields
{
    public const string Id = "_id";
    public const string Path = "path";
    public const string Params = "params";
    public const string Queue = "queue";
    public const string Status = "status";
    public const string DateQueued = "datequeued";
    public const string DateStarted = "datestarted";
    public const string DateUpdated = "dateupdated";
    public const string DateExpires = "dateexpires";
    public const string DateRetry = "dateretry";
    public const string Worker = "worker";
    public const string Result = "result";
    public const string Progress = "progress";
    public const string RetryCount = "retry_count";
    public const string ExceptionType = "exceptiontype";
    public const string Traceback = "traceback";
    public const string TracebackHistory = "traceback_history";
    public const string RawQueue = "raw_queue";
    public const string TotalTime = "totaltime";

    /// <summary>Fields of a <c>traceback_history</c> entry.</summary>
    public const string EntryDate = "date";
    public const string EntryOriginalTraceback = "original_traceback";
}
