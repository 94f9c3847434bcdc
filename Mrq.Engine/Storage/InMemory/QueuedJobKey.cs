using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>The claim order of a queued job: <c>(datequeued, _id)</c> ascending.</summary>
/// <param name="DateQueued">The job's <c>datequeued</c>.</param>
/// <param name="Id">The job's id, breaking ties.</param>
internal readonly record struct QueuedJobKey(DateTime DateQueued, JobId Id) : IComparable<QueuedJobKey>
{
    /// <summary>The key of a queued job record.</summary>
    public static QueuedJobKey Of(JobRecord job) => new(job.DateQueued, job.Id);

    /// <inheritdoc/>
    public int CompareTo(QueuedJobKey other)
    {
        // Ticks, not DateTime.CompareTo: the store keeps every date UTC, and a plain integer compare is cheapest.
        var c = DateQueued.Ticks.CompareTo(other.DateQueued.Ticks);
        return c != 0 ? c : Id.CompareTo(other.Id);
    }

    /// <summary>Ordering.</summary>
    public static bool operator <(QueuedJobKey left, QueuedJobKey right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(QueuedJobKey left, QueuedJobKey right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(QueuedJobKey left, QueuedJobKey right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(QueuedJobKey left, QueuedJobKey right) => left.CompareTo(right) >= 0;
}
