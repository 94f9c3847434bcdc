using System.Text.Json.Nodes;
using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>The worker's hot path: claims, outcomes and progress.</summary>
internal sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobRecord>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<JobRecord>>(cancellationToken);
        }

        if (request.MaxCount < 1)
        {
            return ValueTask.FromException<IReadOnlyList<JobRecord>>(
                new ArgumentOutOfRangeException(nameof(request), request.MaxCount, "A claim takes at least one job."));
        }

        var now = UtcDates.Utc(request.Now);
        lock (_gate)
        {
            if (!_queued.TryGetValue(request.Queue, out var queued) || queued.Count == 0)
            {
                return new(Array.Empty<JobRecord>());
            }

            var picked = Pick(queued, request);
            var claimed = new JobRecord[picked.Count];
            var counts = _counts[request.Queue];
            for (var i = 0; i < picked.Count; i++)
            {
                var job = picked[i];
                queued.Remove(QueuedJobKey.Of(job));
                counts[(int)JobStatus.Queued]--;
                counts[(int)JobStatus.Started]++;
                job.Status = JobStatus.Started;
                job.DateStarted = now;
                job.Worker = request.Worker;
                job.DateExpires = null;
                claimed[i] = JobRecordCopier.Export(job);
            }

            return new(claimed);
        }
    }

    /// <summary>The first jobs of a queue in claim order that pass the path lists (the set is not changed).</summary>
    private List<JobRecord> Pick(SortedSet<QueuedJobKey> queued, ClaimRequest request)
    {
        var picked = new List<JobRecord>(Math.Min(request.MaxCount, queued.Count));
        var filtered = request.PathWhitelist is not null || request.PathBlacklist is not null;
        if (!request.Reverse)
        {
            // The struct enumerator keeps the common FIFO claim free of iterator allocations.
            foreach (var key in queued)
            {
                if (Take(key) && picked.Count == request.MaxCount)
                {
                    break;
                }
            }
        }
        else
        {
            foreach (var key in queued.Reverse())
            {
                if (Take(key) && picked.Count == request.MaxCount)
                {
                    break;
                }
            }
        }

        return picked;

        bool Take(QueuedJobKey key)
        {
            var job = _jobs[key.Id];
            if (filtered
                && ((request.PathWhitelist is { } white && !white.Contains(job.Path))
                    || (request.PathBlacklist is { } black && black.Contains(job.Path))))
            {
                return false;
            }

            picked.Add(job);
            return true;
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<bool>>(cancellationToken);
        }

        // Copy what the caller owns before taking the lock: records to insert, results to store.
        var copies = new OutcomeCopies(outcomes.Count);
        JsonFreezer? json = null;
        try
        {
            for (var i = 0; i < outcomes.Count; i++)
            {
                var outcome = outcomes[i] ?? throw new ArgumentException("An outcome is null.", nameof(outcomes));
                if (outcome.InsertIfMissing is { } insert)
                {
                    if (insert.Id != outcome.Id)
                    {
                        throw new ArgumentException($"Outcome {outcome.Id} carries a record to insert with another id ({insert.Id}).", nameof(outcomes));
                    }

                    copies.SetInsert(i, JobRecordCopier.Import(insert, json ??= new JsonFreezer()));
                }

                if (outcome.Result is { } result)
                {
                    copies.SetResult(i, (json ??= new JsonFreezer()).Freeze(result));
                }
            }
        }
        catch (ArgumentException ex)
        {
            return ValueTask.FromException<IReadOnlyList<bool>>(ex);
        }
        finally
        {
            json?.Dispose();
        }

        var applied = new bool[outcomes.Count];
        lock (_gate)
        {
            for (var i = 0; i < applied.Length; i++)
            {
                applied[i] = Complete(outcomes[i], copies.Insert(i), copies.Result(i));
            }
        }

        return new(applied);
    }

    /// <summary>Applies one outcome as a compare-and-set on <c>started</c> by the outcome's worker and claim.</summary>
    private bool Complete(JobOutcome outcome, JobRecord? insert, JsonNode? result)
    {
        if (!_jobs.TryGetValue(outcome.Id, out var job))
        {
            // A raw job whose started status was never stored: it is created with the outcome applied.
            if (insert is null)
            {
                return false;
            }

            Write(insert, outcome, result);
            _jobs.Add(insert.Id, insert);
            Track(insert);
            return true;
        }

        if (job.Status != JobStatus.Started
            || !string.Equals(job.Worker, outcome.Worker, StringComparison.Ordinal)
            || !ClaimToken.SameClaim(job.DateStarted, outcome.DateStarted)
            || !JobStateMachine.CanTransition(JobStatus.Started, outcome.Status))
        {
            return false;
        }

        // A started job is only in the counters (not in a queue's claim order): leaving that status is one decrement.
        _counts[job.Queue][(int)JobStatus.Started]--;
        UntrackUniqueKey(job);
        Write(job, outcome, result);
        Track(job);
        return true;
    }

    /// <summary>Writes an outcome's fields to a stored record (its indexes must be updated around this).</summary>
    /// <param name="job">The stored record.</param>
    /// <param name="outcome">The outcome.</param>
    /// <param name="result">The outcome's result, frozen; null leaves the stored result as it is.</param>
    private static void Write(JobRecord job, JobOutcome outcome, JsonNode? result)
    {
        job.Status = outcome.Status;
        job.DateUpdated = UtcDates.Utc(outcome.DateUpdated);
        job.DateExpires = UtcDates.Utc(outcome.DateExpires);
        if (result is not null)
        {
            job.Result = result;
        }

        if (outcome.TotalTime is { } totalTime)
        {
            job.TotalTime = totalTime;
        }

        if (outcome.DateRetry is { } dateRetry)
        {
            job.DateRetry = UtcDates.Utc(dateRetry);
        }

        if (outcome.DateQueued is { } dateQueued)
        {
            job.DateQueued = UtcDates.Utc(dateQueued);
        }

        if (outcome.Queue is { } queue)
        {
            job.Queue = queue;
        }

        if (outcome.RetryCount is { } retryCount)
        {
            job.RetryCount = retryCount;
        }

        if (outcome.Progress is { } progress)
        {
            job.Progress = progress;
        }

        if (outcome.ExceptionType is { } exceptionType)
        {
            job.ExceptionType = exceptionType;
        }

        if (outcome.Traceback is { } traceback)
        {
            job.Traceback = traceback;
        }

        if (outcome.TracebackEntry is { } entry)
        {
            job.TracebackHistory.Add(JobRecordCopier.ImportEntry(entry));
        }
    }

    /// <inheritdoc/>
    public ValueTask SaveProgressAsync(IReadOnlyList<JobProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        lock (_gate)
        {
            foreach (var item in progress)
            {
                if (_jobs.TryGetValue(item.Id, out var job)
                    && job.Status == JobStatus.Started
                    && string.Equals(job.Worker, item.Worker, StringComparison.Ordinal)
                    && ClaimToken.SameClaim(job.DateStarted, item.DateStarted))
                {
                    job.Progress = item.Progress;
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
