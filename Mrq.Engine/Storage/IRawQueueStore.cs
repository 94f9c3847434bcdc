namespace Mrq.Storage;

/// <summary>
/// MRQ's raw queues (reference §1.4, §2.4–2.5). The queue's type comes from its root name's suffix
/// (<see cref="RawQueueType"/>): <c>_raw</c> a list (duplicates kept, FIFO), <c>_set</c> a set (unique),
/// <c>_sorted_set</c> unique members lowest score first, <c>_timed_set</c> members due when score ≤ now.
/// Each call is atomic. Pushing to a subqueue (<c>root/sub</c>) records it as a known subqueue of its root, until
/// a worker finds it empty and forgets it.
/// </summary>
public interface IRawQueueStore
{
    /// <summary>Adds members. For a timed set a missing score means now; a sorted set requires scores; re-adding a set member updates its score.</summary>
    /// <exception cref="ArgumentException">The queue is not a raw queue, or a sorted-set member has no score.</exception>
    ValueTask PushAsync(string queue, IReadOnlyList<RawQueueItem> items, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Removes and returns up to <paramref name="maxCount"/> members in the queue type's order; for a timed set only
    /// members due at <paramref name="now"/>. With <paramref name="pushback"/> (timed set), due members are re-scored
    /// to now + pushback instead of removed.
    /// </summary>
    ValueTask<IReadOnlyList<string>> PopAsync(string queue, int maxCount, DateTime now, TimeSpan? pushback, CancellationToken cancellationToken);

    /// <summary>The number of members.</summary>
    ValueTask<long> SizeAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Lists members in pop order without removing them.</summary>
    ValueTask<IReadOnlyList<RawQueueItem>> ListAsync(string queue, int skip, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the given members (every copy in a list).</summary>
    /// <returns>The number removed.</returns>
    ValueTask<long> RemoveAsync(string queue, IReadOnlyList<string> members, CancellationToken cancellationToken);

    /// <summary>The known subqueues of a root raw queue (MRQ's <c>ksq</c> set), each a full queue name.</summary>
    ValueTask<IReadOnlyList<string>> KnownSubqueuesAsync(string rootQueue, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a known subqueue if it is empty (MRQ's dequeue SREMs <c>P:ksq:&lt;root&gt;</c> when it finds a
    /// subqueue empty). Atomic with <see cref="PushAsync"/>: a subqueue holding members, due or not, stays known,
    /// and a push after the forget records it again, so a subqueue with members is never left unknown.
    /// </summary>
    /// <returns>True when the subqueue was known and empty, and is now forgotten.</returns>
    ValueTask<bool> ForgetSubqueueAsync(string rootQueue, string subqueue, CancellationToken cancellationToken);
}
