using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Workers;

/// <summary>An outcome waiting for the completion batcher, with what the batch does around it.</summary>
/// <param name="Outcome">The outcome to save; null when nothing is stored (raw no-storage status).</param>
/// <param name="JobId">The job.</param>
/// <param name="OriginalQueue">The job's queue when claimed (for queuesize counters).</param>
/// <param name="CountsInQueueSize">True for regular-queue jobs, which MRQ's queuesize counters track.</param>
/// <param name="Logs">The job's log lines, if any.</param>
/// <param name="Status">The status reached (for metrics).</param>
internal sealed record PendingOutcome(JobOutcome? Outcome, JobId JobId, string OriginalQueue, bool CountsInQueueSize, LogBatch? Logs, JobStatus Status);
