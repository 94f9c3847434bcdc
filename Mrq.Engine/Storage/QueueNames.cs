namespace Mrq.Storage;

/// <summary>MRQ's queue naming rules: raw-queue suffixes, subqueues (<c>/</c>) and the worker-side <c>_reverse</c>.</summary>
public static class QueueNames
{
    /// <summary>The worker-side suffix that makes a regular queue LIFO.</summary>
    public const string ReverseSuffix = "_reverse";

    /// <summary>The root of a queue: the part before the first <c>/</c>.</summary>
    public static string Root(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var slash = queue.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? queue : queue[..slash];
    }

    /// <summary>The raw queue type of a queue from its root name's suffix (checked timed_set, sorted_set, set, raw).</summary>
    public static RawQueueType RawType(string queue)
    {
        var root = Root(queue);
        if (root.EndsWith("_timed_set", StringComparison.Ordinal))
        {
            return RawQueueType.TimedSet;
        }

        if (root.EndsWith("_sorted_set", StringComparison.Ordinal))
        {
            return RawQueueType.SortedSet;
        }

        if (root.EndsWith("_set", StringComparison.Ordinal))
        {
            return RawQueueType.Set;
        }

        return root.EndsWith("_raw", StringComparison.Ordinal) ? RawQueueType.List : RawQueueType.None;
    }

    /// <summary>True for a raw queue name.</summary>
    public static bool IsRaw(string queue) => RawType(queue) != RawQueueType.None;

    /// <summary>True when a worker queue ends with <c>/</c> and so consumes every subqueue under it.</summary>
    public static bool HasSubqueues(string workerQueue) => workerQueue.EndsWith('/');

    /// <summary>True when <paramref name="queue"/> is paused by a paused entry (pausing <c>x</c> also pauses <c>x/…</c>).</summary>
    public static bool IsPausedBy(string queue, string pausedQueue) =>
        queue == pausedQueue || queue.StartsWith(pausedQueue.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>
    /// The entry MRQ stores in the paused set for <paramref name="queue"/> (its <c>_get_pausable_id</c>): the root for
    /// a worker queue ending with <c>/</c>, else the queue itself. Python workers skip a queue whose root or own name
    /// is in the set, so pausing <c>x/</c> must store <c>x</c> for them to pause <c>x/…</c>.
    /// </summary>
    public static string PausableId(string queue) => HasSubqueues(queue) ? Root(queue) : queue;

    /// <summary>Validates a queue name given by a user.</summary>
    /// <exception cref="ArgumentException">Empty, whitespace, or containing control characters.</exception>
    public static string Validate(string queue, string paramName)
    {
        if (string.IsNullOrWhiteSpace(queue) || queue.Any(char.IsControl) || queue.Trim() != queue)
        {
            throw new ArgumentException($"'{queue}' is not a valid queue name.", paramName);
        }

        return queue;
    }
}
