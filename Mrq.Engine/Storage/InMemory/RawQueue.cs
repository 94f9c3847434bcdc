namespace Mrq.Storage.InMemory;

/// <summary>The contents of one raw queue; the store's lock guards every call.</summary>
internal abstract class RawQueue
{
    /// <summary>The number of members.</summary>
    public abstract int Count { get; }

    /// <summary>Creates the empty contents for a queue type.</summary>
    public static RawQueue Create(RawQueueType type) => type switch
    {
        RawQueueType.List => new RawList(),
        RawQueueType.Set => new RawSet(),
        RawQueueType.SortedSet or RawQueueType.TimedSet => new RawScoredSet(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a raw queue type."),
    };

    /// <summary>Adds members; <paramref name="scores"/> is null for unscored types, else one score per item.</summary>
    public abstract void Push(IReadOnlyList<RawQueueItem> items, double[]? scores);

    /// <summary>
    /// Removes and returns up to <paramref name="maxCount"/> members in pop order, for scored sets only those scored at
    /// or below <paramref name="dueScore"/>; with <paramref name="pushbackScore"/> they are re-scored instead of removed.
    /// </summary>
    public abstract List<string> Pop(int maxCount, double dueScore, double? pushbackScore);

    /// <summary>Members in pop order without removing them.</summary>
    public abstract List<RawQueueItem> List(int skip, int limit);

    /// <summary>Removes the members (every copy in a list); returns how many were removed.</summary>
    public abstract long Remove(IReadOnlyList<string> members);
}
