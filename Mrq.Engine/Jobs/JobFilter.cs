using System.Text.Json.Nodes;

namespace Mrq.Jobs;

/// <summary>
/// Selects jobs for monitoring and job actions, with MRQ JobAction's filters: every set property must match
/// (AND); list properties match any of their values (<c>$in</c>).
/// </summary>
public sealed record JobFilter
{
    /// <summary>Only these ids.</summary>
    public IReadOnlyList<JobId>? Ids { get; init; }

    /// <summary>Only this queue; a value ending in <c>/</c> matches the queue and every subqueue under it.</summary>
    public string? Queue { get; init; }

    /// <summary>Only these statuses.</summary>
    public IReadOnlyList<JobStatus>? Statuses { get; init; }

    /// <summary>Only these task paths.</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>Only jobs claimed by this worker.</summary>
    public string? Worker { get; init; }

    /// <summary>Only jobs whose worker is none of these (used to find jobs of vanished workers).</summary>
    public IReadOnlyList<string>? WorkerNotIn { get; init; }

    /// <summary>Only this exception type.</summary>
    public string? ExceptionType { get; init; }

    /// <summary>Only jobs whose params contain every key of this object with an equal JSON value (<c>params.k</c>).</summary>
    public JsonObject? Params { get; init; }

    /// <summary>Only jobs with <c>dateretry</c> at or before this time.</summary>
    public DateTime? DateRetryBefore { get; init; }

    /// <summary>Only jobs with <c>datestarted</c> strictly before this time.</summary>
    public DateTime? DateStartedBefore { get; init; }

    /// <summary>Only jobs with an id at or below this one (MRQ adds it inside a job so a job never acts on later ones).</summary>
    public JobId? MaxId { get; init; }

    /// <summary>An empty filter, matching every job.</summary>
    public static JobFilter All { get; } = new();

    /// <summary>True when <paramref name="queue"/> is selected by <see cref="Queue"/>.</summary>
    public bool MatchesQueue(string queue) => Queue is null
        || (Queue.EndsWith('/') ? queue.StartsWith(Queue, StringComparison.Ordinal) || queue == Queue[..^1] : queue == Queue);

    /// <summary>
    /// Evaluates the whole filter against a record. Backends with a query language translate the filter instead;
    /// this is the reference semantics they must agree with.
    /// </summary>
    public bool Matches(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return (Ids is null || Ids.Contains(job.Id))
            && MatchesQueue(job.Queue)
            && (Statuses is null || Statuses.Contains(job.Status))
            && (Paths is null || Paths.Contains(job.Path))
            && (Worker is null || job.Worker == Worker)
            && (WorkerNotIn is null || (job.Worker is not null && !WorkerNotIn.Contains(job.Worker)))
            && (ExceptionType is null || job.ExceptionType == ExceptionType)
            && (DateRetryBefore is null || (job.DateRetry is { } r && r <= DateRetryBefore))
            && (DateStartedBefore is null || (job.DateStarted is { } s && s < DateStartedBefore))
            && (MaxId is null || job.Id <= MaxId.Value)
            && (Params is null || MatchesParams(job.Params));
    }

    private bool MatchesParams(JsonObject jobParams)
    {
        foreach (var (key, expected) in Params!)
        {
            if (!jobParams.TryGetPropertyValue(key, out var actual) || !JsonNode.DeepEquals(actual, expected))
            {
                return false;
            }
        }

        return true;
    }
}
