using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>Monitoring reads: queries, counts, queue discovery.</summary>
internal sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobRecord>> QueryAsync(JobFilter filter, int skip, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<JobRecord>>(cancellationToken);
        }

        if (skip < 0 || limit < 0)
        {
            return ValueTask.FromException<IReadOnlyList<JobRecord>>(
                new ArgumentOutOfRangeException(skip < 0 ? nameof(skip) : nameof(limit), "skip and limit cannot be negative."));
        }

        if (limit == 0)
        {
            return new(Array.Empty<JobRecord>());
        }

        // Keep only the newest skip + limit matches in a min-heap by id: O(n log k), no full sort.
        var keep = (int)Math.Min((long)skip + limit, int.MaxValue);
        var newest = new PriorityQueue<JobRecord, JobId>();
        lock (_gate)
        {
            foreach (var job in Matching(filter))
            {
                if (newest.Count < keep)
                {
                    newest.Enqueue(job, job.Id);
                }
                else if (newest.TryPeek(out _, out var oldestKept) && job.Id > oldestKept)
                {
                    newest.EnqueueDequeue(job, job.Id);
                }
            }

            if (newest.Count <= skip)
            {
                return new(Array.Empty<JobRecord>());
            }

            var page = new JobRecord[newest.Count - skip];
            for (var i = page.Length - 1; i >= 0; i--)
            {
                page[i] = JobRecordCopier.Export(newest.Dequeue());
            }

            return new(page);
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> CountAsync(JobFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        lock (_gate)
        {
            if (IsQueueAndStatusOnly(filter))
            {
                return new(CountFromCounters(filter));
            }

            return new((long)Matching(filter).Count);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<QueueStatusCount>> CountByQueueAndStatusAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<QueueStatusCount>>(cancellationToken);
        }

        var result = new List<QueueStatusCount>();
        lock (_gate)
        {
            foreach (var (queue, counts) in _counts)
            {
                for (var s = 0; s < counts.Length; s++)
                {
                    if (counts[s] > 0)
                    {
                        result.Add(new QueueStatusCount(queue, (JobStatus)s, counts[s]));
                    }
                }
            }
        }

        result.Sort(static (x, y) =>
        {
            var c = string.CompareOrdinal(x.Queue, y.Queue);
            return c != 0 ? c : x.Status.CompareTo(y.Status);
        });
        return new(result);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> DistinctQueuesAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<string>>(cancellationToken);
        }

        var queues = new List<string>();
        lock (_gate)
        {
            foreach (var (queue, counts) in _counts)
            {
                if (queue.StartsWith(prefix, StringComparison.Ordinal) && Array.Exists(counts, c => c > 0))
                {
                    queues.Add(queue);
                }
            }
        }

        queues.Sort(StringComparer.Ordinal);
        return new(queues);
    }

    /// <summary>
    /// The stored jobs matching a filter (<see cref="JobFilter.Matches"/> is the semantics), looked up by id when the
    /// filter names ids and read from the queue index when it asks for the queued jobs of one queue. Call under the lock.
    /// </summary>
    private List<JobRecord> Matching(JobFilter filter)
    {
        if (filter.Ids is { } ids)
        {
            // Every candidate has a listed id already: drop the O(ids) list test from the per-job check.
            var rest = filter with { Ids = null };
            var seen = new HashSet<JobId>(ids.Count);
            var found = new List<JobRecord>();
            foreach (var id in ids)
            {
                if (seen.Add(id) && _jobs.TryGetValue(id, out var job) && rest.Matches(job))
                {
                    found.Add(job);
                }
            }

            return found;
        }

        if (filter.Statuses is { Count: > 0 } statuses
            && statuses.All(s => s == JobStatus.Queued)
            && filter.Queue is { } queue
            && !queue.EndsWith('/'))
        {
            var found = new List<JobRecord>();
            if (_queued.TryGetValue(queue, out var queued))
            {
                foreach (var key in queued)
                {
                    var job = _jobs[key.Id];
                    if (filter.Matches(job))
                    {
                        found.Add(job);
                    }
                }
            }

            return found;
        }

        // Materialized so callers may change the matched jobs' indexes while walking the result.
        var all = new List<JobRecord>();
        foreach (var job in _jobs.Values)
        {
            if (filter.Matches(job))
            {
                all.Add(job);
            }
        }

        return all;
    }

    private static bool IsQueueAndStatusOnly(JobFilter filter) =>
        filter == new JobFilter { Queue = filter.Queue, Statuses = filter.Statuses };

    private long CountFromCounters(JobFilter filter)
    {
        long count = 0;
        foreach (var (queue, counts) in _counts)
        {
            if (!filter.MatchesQueue(queue))
            {
                continue;
            }

            for (var s = 0; s < counts.Length; s++)
            {
                if (filter.Statuses is null || filter.Statuses.Contains((JobStatus)s))
                {
                    count += counts[s];
                }
            }
        }

        return count;
    }
}
