namespace Mrq.Configuration;

/// <summary>How a worker fills free slots from several queues (MRQ's <c>dequeue_strategy</c>).</summary>
public enum DequeueStrategy
{
    /// <summary>Queues in the given order: strict priority.</summary>
    Sequential,

    /// <summary>Slots split between queues, rotating the starting queue.</summary>
    Parallel,

    /// <summary>Sequential, and the worker exits once nothing is left to dequeue.</summary>
    Burst,
}
