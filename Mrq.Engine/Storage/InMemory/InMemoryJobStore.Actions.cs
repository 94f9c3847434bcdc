using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>Job actions by filter and expiry cleanup.</summary>
internal sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<long> ApplyActionAsync(JobAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        var filter = action.EffectiveFilter();
        var target = action.TargetStatus;
        var now = UtcDates.Utc(action.Now);
        var expires = UtcDates.Utc(action.ExpiresAt);
        long changed = 0;
        lock (_gate)
        {
            foreach (var job in Matching(filter))
            {
                // The effective filter only selects allowed sources; the table is checked again per job because
                // that check is the compare-and-set every backend makes on the status it read.
                if (!JobStateMachine.CanTransition(job.Status, target))
                {
                    continue;
                }

                Untrack(job);
                job.Status = action.Kind == JobActionKind.RequeueLost ? MarkLost(job, action.LostLimit) : target;
                job.DateUpdated = now;
                job.DateExpires = expires;
                if (job.Status == JobStatus.Queued)
                {
                    job.DateQueued = now;
                    job.Queue = action.DestinationQueue ?? job.Queue;
                    if (action.Kind == JobActionKind.Requeue)
                    {
                        job.RetryCount = 0;
                    }
                }

                Track(job);
                changed++;
            }
        }

        return new(changed);
    }

    /// <summary>Counts a lost run; the status to write: queued, or failed (WorkerLost) at the limit.</summary>
    private static JobStatus MarkLost(JobRecord job, int limit)
    {
        job.LostCount++;
        if (!WorkerLost.Fails(job.LostCount, limit))
        {
            return JobStatus.Queued;
        }

        job.ExceptionType = WorkerLost.ExceptionType;
        job.Traceback = WorkerLost.Traceback(job.LostCount);
        return JobStatus.Failed;
    }

    /// <inheritdoc/>
    public ValueTask<long> DeleteJobsAsync(IReadOnlyCollection<JobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        long deleted = 0;
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_jobs.TryGetValue(id, out var job) && job.Status != JobStatus.Started)
                {
                    Untrack(job);
                    _jobs.Remove(id);
                    deleted++;
                }
            }
        }

        return new(deleted);
    }

    /// <inheritdoc/>
    public ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        var limit = UtcDates.Utc(now);
        long deleted = 0;
        lock (_gate)
        {
            // Removing the current entry while enumerating a Dictionary is allowed (and does not invalidate it).
            foreach (var (id, job) in _jobs)
            {
                if (job.DateExpires is { } expires && expires <= limit)
                {
                    Untrack(job);
                    _jobs.Remove(id);
                    deleted++;
                }
            }

            if (deleted > 0)
            {
                PruneEmptyQueues();
            }
        }

        return new(deleted);
    }
}
