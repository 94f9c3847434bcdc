using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>Job lifecycle reads: the next due retry (delayed jobs).</summary>
internal sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<DateTime?> NextRetryDateAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<DateTime?>(cancellationToken);
        }

        DateTime? earliest = null;
        lock (_gate)
        {
            // The per-queue counters say at once whether any job waits in retry; only then are the jobs scanned.
            if (!_counts.Values.Any(counts => counts[(int)JobStatus.Retry] > 0))
            {
                return new((DateTime?)null);
            }

            foreach (var job in _jobs.Values)
            {
                if (job.Status == JobStatus.Retry && job.DateRetry is { } due && (earliest is null || due < earliest))
                {
                    earliest = due;
                }
            }
        }

        return new(earliest);
    }
}
