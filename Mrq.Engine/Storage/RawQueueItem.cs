namespace Mrq.Storage;

/// <summary>A member of a raw queue: the raw string MRQ stores, with its score for sorted and timed sets.</summary>
/// <param name="Member">The raw payload (what the queue's job factory receives).</param>
/// <param name="Score">Sorted set: priority (lowest first); timed set: due time in Unix seconds; null otherwise.</param>
public sealed record RawQueueItem(string Member, double? Score = null);
