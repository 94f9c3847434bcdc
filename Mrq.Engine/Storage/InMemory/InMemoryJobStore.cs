using System.Runtime.InteropServices;
using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="IJobStore"/>. One lock guards everything, so every call is atomic as a whole (stronger
/// than the per-job atomicity the SPI asks for) and every compare-and-set is a plain check under the lock. Queued jobs
/// are indexed per queue in a set ordered by <c>(datequeued, _id)</c>, so a claim of N costs O(N log n) whatever the
/// queue's length; per-queue per-status counters answer sizes and <c>mrq queues</c> without a scan. Monitoring
/// queries, job actions and expiry scan the jobs (they are rare and off the hot path).
/// </summary>
/// <remarks>
/// Records never cross the boundary by reference: inserts store a copy, reads return copies, and <c>params</c> and
/// <c>result</c> are stored as re-read JSON and cloned for every reader (<see cref="JobRecordCopier"/>), so a caller
/// mutating a record (or its params) never changes the store.
/// </remarks>
internal sealed partial class InMemoryJobStore : IJobStore
{
    private static readonly int s_statusCount = JobStatusNames.All.Count;

    private readonly Lock _gate = new();

    /// <summary>Every job by id; the records are the store's own and never handed out.</summary>
    private readonly Dictionary<JobId, JobRecord> _jobs = [];

    /// <summary>Per queue, the keys of its queued jobs in claim order.</summary>
    private readonly Dictionary<string, SortedSet<QueuedJobKey>> _queued = new(StringComparer.Ordinal);

    /// <summary>Per queue, the number of its jobs in each status (indexed by <see cref="JobStatus"/>).</summary>
    private readonly Dictionary<string, long[]> _counts = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask InsertAsync(IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        JobRecord[] copies;
        try
        {
            copies = Import(jobs);
        }
        catch (ArgumentException ex)
        {
            return ValueTask.FromException(ex);
        }

        lock (_gate)
        {
            return InsertLocked(copies) is { } error ? ValueTask.FromException(error) : ValueTask.CompletedTask;
        }
    }

    /// <summary>The store's own copies of records.</summary>
    /// <exception cref="ArgumentException">A record cannot be stored.</exception>
    private static JobRecord[] Import(IReadOnlyList<JobRecord> jobs)
    {
        var copies = new JobRecord[jobs.Count];
        using var json = new JsonFreezer();
        for (var i = 0; i < copies.Length; i++)
        {
            copies[i] = JobRecordCopier.Import(jobs[i], json);
        }

        return copies;
    }

    /// <summary>Stores imported copies, all or nothing (call under the lock); the error when an id already exists.</summary>
    private ArgumentException? InsertLocked(JobRecord[] copies)
    {
        var batch = copies.Length > 1 ? new HashSet<JobId>(copies.Length) : null;
        foreach (var copy in copies)
        {
            if (_jobs.ContainsKey(copy.Id) || (batch is not null && !batch.Add(copy.Id)))
            {
                return new ArgumentException($"A job with id {copy.Id} already exists.", nameof(copies));
            }
        }

        foreach (var copy in copies)
        {
            _jobs.Add(copy.Id, copy);
            Track(copy);
        }

        return null;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobRecord>> GetAsync(IReadOnlyList<JobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<JobRecord>>(cancellationToken);
        }

        var found = new List<JobRecord>(ids.Count);
        var seen = ids.Count > 1 ? new HashSet<JobId>(ids.Count) : null;
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if ((seen is null || seen.Add(id)) && _jobs.TryGetValue(id, out var job))
                {
                    found.Add(JobRecordCopier.Export(job));
                }
            }
        }

        return new(found);
    }

    /// <summary>Adds a stored job to the indexes (counters, its queue's claim order when queued, its unique key while it holds it).</summary>
    private void Track(JobRecord job)
    {
        CountsOf(job.Queue)[(int)job.Status]++;
        TrackUniqueKey(job);
        if (job.Status == JobStatus.Queued)
        {
            QueuedOf(job.Queue).Add(QueuedJobKey.Of(job));
        }
    }

    /// <summary>Removes a stored job from the indexes; call before changing its queue, status or datequeued.</summary>
    private void Untrack(JobRecord job)
    {
        _counts[job.Queue][(int)job.Status]--;
        UntrackUniqueKey(job);
        if (job.Status == JobStatus.Queued)
        {
            _queued[job.Queue].Remove(QueuedJobKey.Of(job));
        }
    }

    private long[] CountsOf(string queue)
    {
        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, queue, out _);
        return counts ??= new long[s_statusCount];
    }

    private SortedSet<QueuedJobKey> QueuedOf(string queue)
    {
        ref var queued = ref CollectionsMarshal.GetValueRefOrAddDefault(_queued, queue, out _);
        return queued ??= [];
    }

    /// <summary>Drops the index entries of queues that no longer hold any job.</summary>
    private void PruneEmptyQueues()
    {
        foreach (var (queue, counts) in _counts)
        {
            if (Array.TrueForAll(counts, c => c == 0))
            {
                _counts.Remove(queue);
                _queued.Remove(queue);
            }
        }
    }
}
