namespace Mrq.Storage.LiteDb;

/// <summary>MRQ's <c>mrq_jobs</c> field names (reference §2.1), plus the claim key this backend maintains.</summary>
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

    /// <summary>
    /// A result that is not a valid LiteDB value (an object with field names differing only by case), kept as JSON
    /// text instead of <see cref="Result"/>.
    /// </summary>
    public const string ResultJson = "result_json";

    /// <summary>
    /// The status key <see cref="StatusKey"/> builds: (status, queue, datequeued or dateexpires, _id) as sortable
    /// bytes, indexed so claims, status scans and expiry never read unrelated jobs.
    /// </summary>
    public const string StatusKey = "skey";

    /// <summary>Fields of a <c>traceback_history</c> entry.</summary>
    public const string HistoryDate = "date";
    public const string HistoryOriginalTraceback = "original_traceback";
}
