namespace Mrq.Client;

/// <summary>
/// How one job is queued: its queue, when it may start, and its unique key. Every property is optional; an empty
/// instance queues the job like <see cref="IJobClient.QueueJobAsync(string, System.Text.Json.Nodes.JsonObject?, string?, CancellationToken)"/>.
/// </summary>
public sealed class QueueJobOptions
{
    /// <summary>The regular queue (default: the task's configured queue, else <c>default</c>).</summary>
    public string? Queue { get; init; }

    /// <summary>
    /// Start no earlier than this time. The job is stored as MRQ's delayed retry (<c>status: "retry"</c> with
    /// <c>dateretry</c>), which workers (ours and Python MRQ's maintenance) move to <c>queued</c> when due. A time
    /// already past queues the job at once. Not with <see cref="Delay"/>.
    /// </summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Start no earlier than this long from now (zero: at once). Not with <see cref="RunAt"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>
    /// The job's unique key: while a job with the same key is <c>queued</c>, <c>retry</c> (delayed), <c>started</c>
    /// or <c>interrupt</c>, queueing returns that job's id instead of adding one (see <see cref="Jobs.UniqueJobs"/>).
    /// The key is released when its job ends any other way. Overrides the task's <c>unique_params</c> rule.
    /// </summary>
    public string? UniqueKey { get; init; }

    /// <summary>The time the job becomes due, or null to queue it at once.</summary>
    /// <exception cref="ArgumentException">Both <see cref="RunAt"/> and <see cref="Delay"/> are set, or the delay is negative.</exception>
    internal DateTime? DueAt(DateTime utcNow)
    {
        if (RunAt is not null && Delay is not null)
        {
            throw new ArgumentException("Give either RunAt or Delay, not both.");
        }

        if (Delay is { } delay && delay < TimeSpan.Zero)
        {
            throw new ArgumentException($"The delay must not be negative (got {delay}).");
        }

        var due = RunAt is { } at ? at.UtcDateTime : Delay is { } d ? utcNow + d : (DateTime?)null;
        return due > utcNow ? due : null;
    }
}
