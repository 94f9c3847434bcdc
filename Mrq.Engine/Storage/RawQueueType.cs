namespace Mrq.Storage;

/// <summary>The four raw queue types, chosen by the suffix of a queue's root name.</summary>
public enum RawQueueType
{
    /// <summary>Not a raw queue: a regular queue stored as jobs.</summary>
    None,

    /// <summary><c>_raw</c>: a list, FIFO, duplicates kept.</summary>
    List,

    /// <summary><c>_set</c>: unique members, unspecified order.</summary>
    Set,

    /// <summary><c>_sorted_set</c>: unique members, lowest score first.</summary>
    SortedSet,

    /// <summary><c>_timed_set</c>: unique members scored by due Unix time; only due members pop.</summary>
    TimedSet,
}
