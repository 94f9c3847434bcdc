namespace Mrq.Context;

/// <summary>The worker running the current job (MRQ's <c>get_current_worker()</c>).</summary>
public interface IWorkerInfo
{
    /// <summary>The worker id (24 hex characters).</summary>
    string Id { get; }

    /// <summary>The worker name.</summary>
    string Name { get; }

    /// <summary>The queues it listens to.</summary>
    IReadOnlyList<string> Queues { get; }

    /// <summary>Its number of greenlets.</summary>
    int Greenlets { get; }

    /// <summary>Jobs it has finished.</summary>
    long DoneJobs { get; }
}
