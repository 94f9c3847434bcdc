using Mrq.Jobs;

namespace Mrq.Storage;

/// <summary>How many jobs of a queue are in a status.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Status">The status.</param>
/// <param name="Count">The number of jobs.</param>
public sealed record QueueStatusCount(string Queue, JobStatus Status, long Count);
