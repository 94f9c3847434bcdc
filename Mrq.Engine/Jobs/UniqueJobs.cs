using System.Text.Json.Nodes;

namespace Mrq.Jobs;

/// <summary>
/// Unique jobs: a job queued with a unique key holds it while it may still run — <c>queued</c>, <c>retry</c> (a
/// delayed job or retry), <c>started</c> or <c>interrupt</c> (which maintenance requeues) — and queueing the same key
/// meanwhile returns the holder's id instead of a new job. Any other status (success, failed, cancel, …) releases it.
/// Each storage enforces this atomically (in-memory and LiteDB under their write lock, MongoDB with a unique
/// partial index).
/// </summary>
public static class UniqueJobs
{
    /// <summary>The statuses in which a job holds its unique key.</summary>
    public static IReadOnlySet<JobStatus> HoldingStatuses { get; } = new HashSet<JobStatus> { JobStatus.Queued, JobStatus.Retry, JobStatus.Started, JobStatus.Interrupt };

    /// <summary>True when a job in <paramref name="status"/> holds its unique key.</summary>
    public static bool Holds(JobStatus status) => HoldingStatuses.Contains(status);

    /// <summary>
    /// The key of a task-level rule (<c>unique_params</c>): the path and the named params' JSON values, in the order
    /// named (a missing param counts as null), so two jobs of the path with equal values of those params share it.
    /// </summary>
    public static string KeyOf(string path, JsonObject parameters, IReadOnlyList<string> uniqueParams)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var selected = new JsonObject();
        foreach (var name in uniqueParams)
        {
            selected[name] = parameters[name]?.DeepClone();
        }

        return path + " " + selected.ToJsonString();
    }
}
