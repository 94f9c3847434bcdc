using System.Text;
using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbJobStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobRecord>> QueryAsync(JobFilter filter, int skip, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var page = new List<JobRecord>(Math.Min(limit, 1000));
        if (limit == 0)
        {
            return new(page);
        }

        IEnumerable<JobRecord> newestFirst;
        if (filter.Ids is not null)
        {
            newestFirst = Matching(filter).OrderByDescending(job => job.Id);
        }
        else if (filter.Statuses is { } statuses)
        {
            // The ids are in the status keys: sort those (index only) and load just the jobs of the page.
            var ids = new List<JobId>();
            foreach (var status in statuses.Distinct())
            {
                foreach (var (lowest, highest) in Ranges(status, filter.Queue))
                {
                    foreach (var key in Keys(lowest, highest))
                    {
                        var id = IdOf(key);
                        if (filter.MatchesQueue(QueueOf(key)) && (status != JobStatus.Queued || !_claimed.IsPublished(id)))
                        {
                            ids.Add(id);
                        }
                    }
                }

                if (status == JobStatus.Started)
                {
                    ids.AddRange(_claimed.Published.Select(doc => JobDocuments.ToJobId(doc[MrqJobFields.Id].AsObjectId)));
                }
            }

            ids.Sort();
            ids.Reverse();
            IEnumerable<JobId> wanted = ids;
            if (filter with { Statuses = null, Queue = null } == JobFilter.All)
            {
                // The keys say everything the filter asks: skip without loading the jobs skipped.
                wanted = ids.Skip(skip);
                skip = 0;
            }

            newestFirst = wanted.Select(Read).OfType<BsonDocument>().Select(JobDocuments.ToRecord).Where(filter.Matches);
        }
        else
        {
            newestFirst = Jobs.Query().OrderByDescending("$._id").ToEnumerable().Select(doc => JobDocuments.ToRecord(Overlay(doc))).Where(filter.Matches);
        }

        foreach (var job in newestFirst)
        {
            if (skip > 0)
            {
                skip--;
                continue;
            }

            page.Add(job);
            if (page.Count == limit)
            {
                break;
            }
        }

        return new(page);
    }

    /// <inheritdoc/>
    public ValueTask<long> CountAsync(JobFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellationToken.ThrowIfCancellationRequested();
        if (filter with { Statuses = null, Queue = null } == JobFilter.All)
        {
            // Only status and queue: the counters answer, without reading a job.
            var statuses = (filter.Statuses ?? JobStatusNames.All).ToHashSet();
            return new(CurrentCounts()
                .Where(pair => statuses.Contains(pair.Key.Status) && filter.MatchesQueue(pair.Key.Queue))
                .Sum(pair => pair.Value));
        }

        return new(Matching(filter).LongCount());
    }

    /// <inheritdoc/>
    /// <remarks>Read from the counters (<see cref="JobCounts"/>): a few small documents, however many jobs the file holds.</remarks>
    public ValueTask<IReadOnlyList<QueueStatusCount>> CountByQueueAndStatusAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<QueueStatusCount> counts = [.. CurrentCounts()
            .Where(pair => pair.Value > 0)
            .OrderBy(pair => pair.Key.Status)
            .ThenBy(pair => pair.Key.Queue, StringComparer.Ordinal)
            .Select(pair => new QueueStatusCount(pair.Key.Queue, pair.Key.Status, pair.Value))];
        return new(counts);
    }

    /// <summary>Readers: the jobs per (status, queue) as readers see them: the counters on disk, claimed jobs moved from queued to started.</summary>
    private Dictionary<CountKey, long> CurrentCounts()
    {
        var counts = JobCounts.Read(Counts);
        foreach (var doc in _claimed.Published)
        {
            var queue = doc[MrqJobFields.Queue].AsString;
            JobCounts.Add(counts, new CountKey(JobStatus.Queued, queue), -1);
            JobCounts.Add(counts, new CountKey(JobStatus.Started, queue), 1);
        }

        return counts;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The first key of the queue's queued range (ordered by datequeued) that is not claimed: its date is the answer,
    /// read from the index alone.
    /// </remarks>
    public ValueTask<DateTime?> OldestQueuedDateAsync(string queue, long queuedCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var key in Keys(StatusKey.QueueStart(JobStatus.Queued, queue), StatusKey.QueueEnd(JobStatus.Queued, queue)))
        {
            if (!_claimed.IsPublished(IdOf(key)))
            {
                return new(StatusKey.DateOf(key));
            }
        }

        return new((DateTime?)null);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> DistinctQueuesAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        cancellationToken.ThrowIfCancellationRequested();
        var queues = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var status in JobStatusNames.All)
        {
            queues.UnionWith(QueuesIn(status, prefix));
        }

        return new(queues.ToArray());
    }

    /// <summary>
    /// The queues holding jobs in a status whose names start with <paramref name="prefix"/>, by skip scan: one index
    /// seek per distinct queue, however many jobs each queue holds.
    /// </summary>
    private List<string> QueuesIn(JobStatus status, string prefix)
    {
        var jobs = Jobs;
        var queues = new List<string>();
        var lowest = StatusKey.PrefixStart(status, prefix);
        var highest = StatusKey.PrefixEnd(status, prefix);
        while (FirstKey(jobs, lowest, highest) is { } key)
        {
            var queue = QueueOf(key);
            queues.Add(queue);
            lowest = StatusKey.AfterQueue(status, queue);
        }

        return queues;
    }

    /// <summary>Jobs matching a filter (reference semantics: <see cref="JobFilter.Matches"/>), found by id or status key.</summary>
    private IEnumerable<JobRecord> Matching(JobFilter filter) => Candidates(Jobs, filter).Select(JobDocuments.ToRecord).Where(filter.Matches);

    /// <summary>A superset of the documents a filter matches (claimed jobs as claimed), read through an index.</summary>
    private IEnumerable<BsonDocument> Candidates(ILiteCollection<BsonDocument> jobs, JobFilter filter)
    {
        if (filter.Ids is { } ids)
        {
            foreach (var id in ids.Distinct())
            {
                if (Read(id) is { } doc)
                {
                    yield return doc;
                }
            }

            yield break;
        }

        foreach (var status in (filter.Statuses ?? JobStatusNames.All).Distinct())
        {
            if (status == JobStatus.Started)
            {
                foreach (var doc in _claimed.Published)
                {
                    yield return doc;
                }
            }

            foreach (var (lowest, highest) in Ranges(status, filter.Queue))
            {
                foreach (var doc in jobs.Find(Expressions.Between(JobFields.StatusKey, lowest, highest)))
                {
                    if (status != JobStatus.Queued || !_claimed.IsPublished(JobDocuments.ToJobId(doc[MrqJobFields.Id].AsObjectId)))
                    {
                        yield return doc;
                    }
                }
            }
        }
    }

    /// <summary>The status key ranges holding the jobs of a status in a queue filter (null: every queue).</summary>
    private static IEnumerable<(byte[] Lowest, byte[] Highest)> Ranges(JobStatus status, string? queue)
    {
        if (queue is null)
        {
            yield return (StatusKey.StatusStart(status), StatusKey.StatusEnd(status));
        }
        else if (queue.EndsWith('/'))
        {
            yield return (StatusKey.QueueStart(status, queue[..^1]), StatusKey.QueueEnd(status, queue[..^1]));
            yield return (StatusKey.PrefixStart(status, queue), StatusKey.PrefixEnd(status, queue));
        }
        else
        {
            yield return (StatusKey.QueueStart(status, queue), StatusKey.QueueEnd(status, queue));
        }
    }

    /// <summary>The status keys in a range, read from the index only.</summary>
    private IEnumerable<byte[]> Keys(byte[] lowest, byte[] highest) =>
        Jobs.Query()
            .Where(Expressions.Between(JobFields.StatusKey, lowest, highest))
            .Select(JobFields.StatusKeyPath)
            .ToEnumerable()
            .Select(row => row[JobFields.StatusKey].AsBinary);

    private static byte[]? FirstKey(ILiteCollection<BsonDocument> jobs, byte[] lowest, byte[] highest) =>
        jobs.Query()
            .Where(Expressions.Between(JobFields.StatusKey, lowest, highest))
            .Select(JobFields.StatusKeyPath)
            .Limit(1)
            .ToEnumerable()
            .Select(row => row[JobFields.StatusKey].AsBinary)
            .FirstOrDefault();

    /// <summary>The job id at the end of a status key.</summary>
    private static JobId IdOf(byte[] key) => JobId.FromBytes(key.AsSpan(key.Length - 12));

    /// <summary>The queue name inside a status key (between the status byte and the 0x00 separator).</summary>
    private static string QueueOf(byte[] key)
    {
        var end = Array.IndexOf(key, (byte)0, 1);
        return Encoding.UTF8.GetString(key, 1, end - 1);
    }
}
