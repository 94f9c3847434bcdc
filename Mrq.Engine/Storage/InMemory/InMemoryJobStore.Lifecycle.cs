using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>Job lifecycle: unique keys (an index of the jobs holding one) and the next due retry (delayed jobs).</summary>
internal sealed partial class InMemoryJobStore
{
    /// <summary>Per unique key, the job holding it (a job in a holding status); kept by Track/Untrack.</summary>
    private readonly Dictionary<string, JobId> _uniqueHolders = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<JobId> InsertUniqueAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.UniqueKey is not { } key)
        {
            return ValueTask.FromException<JobId>(new ArgumentException("The job has no unique key.", nameof(job)));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<JobId>(cancellationToken);
        }

        JobRecord[] copies;
        try
        {
            copies = Import([job]);
        }
        catch (ArgumentException ex)
        {
            return ValueTask.FromException<JobId>(ex);
        }

        lock (_gate)
        {
            if (_uniqueHolders.TryGetValue(key, out var holder))
            {
                return new(holder);
            }

            return InsertLocked(copies) is { } error ? ValueTask.FromException<JobId>(error) : new(job.Id);
        }
    }

    private void TrackUniqueKey(JobRecord job)
    {
        if (job.UniqueKey is { } key && UniqueJobs.Holds(job.Status))
        {
            _uniqueHolders[key] = job.Id;
        }
    }

    private void UntrackUniqueKey(JobRecord job)
    {
        if (job.UniqueKey is { } key && _uniqueHolders.TryGetValue(key, out var holder) && holder == job.Id)
        {
            _uniqueHolders.Remove(key);
        }
    }

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
