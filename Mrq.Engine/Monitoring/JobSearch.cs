using System.Text.Encodings.Web;
using System.Text.Json;
using Mrq.Jobs;

namespace Mrq.Monitoring;

/// <summary>The order of a job list.</summary>
public enum JobSortKey
{
    /// <summary>By <c>_id</c> (creation order).</summary>
    Id,

    /// <summary>By <c>datequeued</c>.</summary>
    DateQueued,

    /// <summary>By <c>dateupdated</c>.</summary>
    DateUpdated,

    /// <summary>By task path.</summary>
    Path,

    /// <summary>By queue.</summary>
    Queue,

    /// <summary>By status name.</summary>
    Status,

    /// <summary>By <c>totaltime</c>.</summary>
    TotalTime,
}

/// <summary>
/// A monitoring search over jobs: the storage-side <see cref="Filter"/> (queue incl. subqueue prefix, statuses,
/// worker, exception type, params equality) plus criteria applied while scanning: a path prefix or <c>*</c> wildcard,
/// a <c>datequeued</c> range and a case-insensitive text search in params and result.
/// </summary>
public sealed record JobSearch
{
    /// <summary>The criteria the storage evaluates.</summary>
    public JobFilter Filter { get; init; } = JobFilter.All;

    /// <summary>A task path prefix (<c>tasks.io</c>) or a pattern with <c>*</c> wildcards (<c>tasks.*.Fetch</c>).</summary>
    public string? PathPattern { get; init; }

    /// <summary>Only jobs queued at or after this time (UTC).</summary>
    public DateTime? QueuedFrom { get; init; }

    /// <summary>Only jobs queued before this time (UTC).</summary>
    public DateTime? QueuedTo { get; init; }

    /// <summary>Text that the JSON of the job's params or result must contain (case-insensitive).</summary>
    public string? Text { get; init; }

    /// <summary>The sort key.</summary>
    public JobSortKey Sort { get; init; } = JobSortKey.Id;

    /// <summary>Descending order (newest first for <see cref="JobSortKey.Id"/>).</summary>
    public bool Descending { get; init; } = true;

    /// <summary>True when every criterion is one the storage evaluates and the order is the storage's own (<c>_id</c> descending).</summary>
    public bool IsStorageNative => string.IsNullOrEmpty(PathPattern) && QueuedFrom is null && QueuedTo is null
        && string.IsNullOrEmpty(Text) && Sort == JobSortKey.Id && Descending;

    /// <summary>Evaluates the criteria applied while scanning (not <see cref="Filter"/>).</summary>
    public bool MatchesScanCriteria(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return (string.IsNullOrEmpty(PathPattern) || PathPatterns.Matches(PathPattern, job.Path))
            && (QueuedFrom is null || job.DateQueued >= QueuedFrom)
            && (QueuedTo is null || job.DateQueued < QueuedTo)
            && (string.IsNullOrEmpty(Text) || ContainsText(job, Text));
    }

    // Searched as written, not as escaped: the default encoder would turn "<" into "\u003C" and hide it from a search.
    private static readonly JsonSerializerOptions s_searchable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static bool ContainsText(JobRecord job, string text) =>
        job.Params.ToJsonString(s_searchable).Contains(text, StringComparison.OrdinalIgnoreCase)
        || (job.Result is { } result && result.ToJsonString(s_searchable).Contains(text, StringComparison.OrdinalIgnoreCase));
}
