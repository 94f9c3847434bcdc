using Mrq.Configuration;
using Mrq.Jobs;

namespace Mrq.Workers;

/// <summary>A job this worker claimed and must either run or release (never leave started with nobody running it).</summary>
/// <param name="Job">The job as stored after the claim.</param>
/// <param name="Stored">False for a raw job whose <c>started</c> status is not stored: no document exists yet.</param>
/// <param name="Raw">The raw queue's options, for jobs popped from a raw queue.</param>
/// <param name="FactoryError">The raw job factory failed on this member; the job ends <c>failed</c> with it.</param>
/// <param name="Member">The raw queue member the job came from, pushed back when the job is released unstored.</param>
internal sealed record ClaimedJob(JobRecord Job, bool Stored, RawQueueOptions? Raw, Exception? FactoryError = null, string? Member = null)
{
    /// <summary>
    /// Claimed for a greenlet that was free at the claim, as MRQ dequeues (so a graceful stop runs it, as MRQ's does);
    /// false for a job claimed ahead of the free greenlets (prefetch), which a graceful stop gives back.
    /// </summary>
    public bool ForFreeGreenlet { get; init; }
}
