using System.Text;
using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbJobStore
{
    private static readonly string s_statusKeyPath = "$." + JobFields.StatusKey;

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

        IEnumerable<JobRecord> newestFirst = filter.Ids is not null
            ? Matching(filter).OrderByDescending(job => job.Id)
            : Jobs.Query().OrderByDescending("$._id").ToEnumerable().Select(JobDocuments.ToRecord).Where(filter.Matches);
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
            // Only status and queue: count index keys, never loading a document.
            long count = 0;
            foreach (var status in (filter.Statuses ?? JobStatusNames.All).Distinct())
            {
                foreach (var (lowest, highest) in Ranges(status, filter.Queue))
                {
                    foreach (var key in Keys(lowest, highest))
                    {
                        if (filter.MatchesQueue(QueueOf(key)))
                        {
                            count++;
                        }
                    }
                }
            }

            return new(count);
        }

        return new(Matching(filter).LongCount());
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<QueueStatusCount>> CountByQueueAndStatusAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var counts = new List<QueueStatusCount>();
        foreach (var status in JobStatusNames.All)
        {
            var perQueue = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var key in Keys(StatusKey.StatusStart(status), StatusKey.StatusEnd(status)))
            {
                var queue = QueueOf(key);
                perQueue[queue] = perQueue.GetValueOrDefault(queue) + 1;
            }

            counts.AddRange(perQueue.Select(pair => new QueueStatusCount(pair.Key, status, pair.Value)));
        }

        return new(counts);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> DistinctQueuesAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        cancellationToken.ThrowIfCancellationRequested();
        var queues = new SortedSet<string>(StringComparer.Ordinal);
        var jobs = Jobs;
        foreach (var status in JobStatusNames.All)
        {
            // Skip scan: one index seek per distinct queue, however many jobs each queue holds.
            var lowest = StatusKey.PrefixStart(status, prefix);
            var highest = StatusKey.PrefixEnd(status, prefix);
            while (FirstKey(jobs, lowest, highest) is { } key)
            {
                var queue = QueueOf(key);
                queues.Add(queue);
                lowest = StatusKey.AfterQueue(status, queue);
            }
        }

        return new(queues.ToArray());
    }

    /// <summary>Jobs matching a filter (reference semantics: <see cref="JobFilter.Matches"/>), found by id or status key.</summary>
    private IEnumerable<JobRecord> Matching(JobFilter filter) => Candidates(Jobs, filter).Select(JobDocuments.ToRecord).Where(filter.Matches);

    /// <summary>A superset of the documents a filter matches, read through an index.</summary>
    private static IEnumerable<BsonDocument> Candidates(ILiteCollection<BsonDocument> jobs, JobFilter filter)
    {
        if (filter.Ids is { } ids)
        {
            foreach (var id in ids.Distinct())
            {
                if (jobs.FindById(JobDocuments.ToObjectId(id)) is { } doc)
                {
                    yield return doc;
                }
            }

            yield break;
        }

        foreach (var status in (filter.Statuses ?? JobStatusNames.All).Distinct())
        {
            foreach (var (lowest, highest) in Ranges(status, filter.Queue))
            {
                foreach (var doc in jobs.Find(Query.Between(JobFields.StatusKey, lowest, highest)))
                {
                    yield return doc;
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
            .Where(Query.Between(JobFields.StatusKey, lowest, highest))
            .Select(s_statusKeyPath)
            .ToEnumerable()
            .Select(row => row[JobFields.StatusKey].AsBinary);

    private static byte[]? FirstKey(ILiteCollection<BsonDocument> jobs, byte[] lowest, byte[] highest) =>
        jobs.Query()
            .Where(Query.Between(JobFields.StatusKey, lowest, highest))
            .Select(s_statusKeyPath)
            .Limit(1)
            .ToEnumerable()
            .Select(row => row[JobFields.StatusKey].AsBinary)
            .FirstOrDefault();

    /// <summary>The queue name inside a status key (between the status byte and the 0x00 separator).</summary>
    private static string QueueOf(byte[] key)
    {
        var end = Array.IndexOf(key, (byte)0, 1);
        return Encoding.UTF8.GetString(key, 1, end - 1);
    }
}
