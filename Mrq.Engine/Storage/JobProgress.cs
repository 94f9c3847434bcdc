using Mrq.Jobs;

namespace Mrq.Storage;

/// <summary>Progress of a running job, saved while it is <c>started</c> by <paramref name="Worker"/>.</summary>
/// <param name="Id">The job.</param>
/// <param name="Worker">The worker running it.</param>
/// <param name="Progress">0..1.</param>
/// <param name="DateStarted">The claim's <c>datestarted</c> (the claim token with the worker); null matches any claim by the worker.</param>
public sealed record JobProgress(JobId Id, string Worker, double Progress, DateTime? DateStarted = null);
