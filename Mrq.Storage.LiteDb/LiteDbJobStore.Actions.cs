using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbJobStore
{
    /// <summary>Jobs changed per writer operation, so a large action never holds the writer for long.</summary>
    private const int ActionChunk = 1000;

    // What the scan of queued jobs for expiry reads of each: its id, status key and expiry.
    private static readonly string s_expiryScanFields =
        $"{{ {MrqJobFields.Id}: $.{MrqJobFields.Id}, {JobFields.StatusKey}: {JobFields.StatusKeyPath}, {MrqJobFields.DateExpires}: $.{MrqJobFields.DateExpires} }}";

    // What expiry reads of each expired job it deletes: its id and status key.
    private static readonly string s_idAndKeyFields = $"{{ {MrqJobFields.Id}: $.{MrqJobFields.Id}, {JobFields.StatusKey}: {JobFields.StatusKeyPath} }}";

    // Where the next scan of queued jobs for expiry starts (a status key), or null for the first queued job.
    private byte[]? _queuedExpiryScanFrom;

    /// <inheritdoc/>
    public async ValueTask<long> ApplyActionAsync(JobAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var filter = action.EffectiveFilter();
        var target = action.TargetStatus;
        var now = JobDocuments.Utc(action.Now);
        var expires = action.ExpiresAt is { } e ? JobDocuments.Utc(e) : (DateTime?)null;

        // Read the matching ids first; each chunk then re-reads its jobs on the writer and changes only those that
        // still match and may still move: a compare-and-set on the status each job has when it is written.
        var ids = Matching(filter).Select(job => JobDocuments.ToObjectId(job.Id)).Distinct().ToList();
        long changed = 0;
        for (var start = 0; start < ids.Count; start += ActionChunk)
        {
            var chunk = ids.GetRange(start, Math.Min(ActionChunk, ids.Count - start));
            changed += await _database.WriteAsync(
                database =>
                {
                    var jobs = Jobs;
                    var changed = new List<BsonDocument>(chunk.Count);
                    foreach (var id in chunk)
                    {
                        var jobId = JobDocuments.ToJobId(id);
                        if (FindForWrite(jobs, jobId, out var claimed) is not { } found)
                        {
                            continue;
                        }

                        var job = JobDocuments.ToRecord(found);
                        if (!filter.Matches(job) || !JobStateMachine.CanTransition(job.Status, target))
                        {
                            continue;
                        }

                        // A claimed job's document is shared with readers: write a changed copy.
                        var doc = claimed ? new BsonDocument(found) : found;
                        var written = action.Kind == JobActionKind.RequeueLost ? JobDocuments.MarkLost(doc, action.LostLimit) : target;
                        doc[MrqJobFields.Status] = written.ToMrqName();
                        doc[MrqJobFields.DateUpdated] = now;
                        JobDocuments.SetDate(doc, MrqJobFields.DateExpires, expires);
                        if (written == JobStatus.Queued)
                        {
                            doc[MrqJobFields.DateQueued] = now;
                            if (action.DestinationQueue is { } destination)
                            {
                                doc[MrqJobFields.Queue] = destination;
                            }

                            if (action.Kind == JobActionKind.Requeue)
                            {
                                doc[MrqJobFields.RetryCount] = 0;
                            }
                        }

                        JobDocuments.RefreshStatusKey(doc);
                        changed.Add(doc);
                        if (claimed)
                        {
                            _claimed.Remove(jobId);
                        }
                    }

                    // One Update call for the chunk: LiteDB's per-call cost is large.
                    return changed.Count == 0 ? 0 : UpdateJobs(jobs, changed);
                },
                cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>
    /// Deletes expired jobs, as MRQ's TTL index on <c>dateexpires</c> does, whatever their status. For every status
    /// but queued the status key holds <c>dateexpires</c>, so a (status, queue) range up to now is exactly the
    /// expired jobs. Queued jobs (which get a <c>dateexpires</c> from a requeue) are keyed by datequeued for claims,
    /// and an expiry index would cost an index write on every insert, claim and outcome, so they are scanned
    /// instead, at most <see cref="QueuedExpiryScanLimit"/> per call from where the last call stopped: a deep queue
    /// is covered over several maintenance passes. Claimed jobs (queued on disk, started in memory, their expiry
    /// unset by the claim) are never deleted.
    /// </summary>
    public async ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken)
    {
        var limit = JobDocuments.Utc(now);
        var deleted = await DeleteExpiredQueuedAsync(limit, cancellationToken).ConfigureAwait(false);
        foreach (var status in JobStatusNames.All)
        {
            if (status == JobStatus.Queued)
            {
                continue;
            }

            foreach (var queue in QueuesIn(status, ""))
            {
                var lowest = StatusKey.ExpiringStart(status, queue);
                var highest = StatusKey.ExpiredEnd(status, queue, limit);
                int count;
                do
                {
                    count = await _database.WriteAsync(
                        database =>
                        {
                            var jobs = Jobs;
                            var expired = jobs.Query()
                                .Where(Expressions.Between(JobFields.StatusKey, lowest, highest))
                                .Select(s_idAndKeyFields)
                                .Limit(ActionChunk)
                                .ToList();
                            DeleteJobs(jobs, expired);
                            return expired.Count;
                        },
                        cancellationToken).ConfigureAwait(false);
                    deleted += count;
                }
                while (count == ActionChunk);
            }
        }

        return deleted;
    }

    /// <inheritdoc/>
    public async ValueTask<long> DeleteJobsAsync(IReadOnlyCollection<JobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        return await _database.WriteAsync(
            database =>
            {
                var jobs = Jobs;
                var deletable = new List<BsonDocument>();
                foreach (var id in ids.Distinct())
                {
                    // A claimed job is queued on disk and started in memory: it is running here, so it is kept.
                    if (FindForWrite(jobs, id, out var claimed) is { } document && !claimed
                        && document[MrqJobFields.Status].AsString != JobStatus.Started.ToMrqName())
                    {
                        deletable.Add(document);
                    }
                }

                return (long)DeleteJobs(jobs, deletable);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queued jobs read per <see cref="DeleteExpiredAsync"/> call, at most (settable for tests).</summary>
    internal int QueuedExpiryScanLimit { get; set; } = 10 * ActionChunk;

    /// <summary>
    /// Reads queued jobs in status-key order from <see cref="_queuedExpiryScanFrom"/> (off the writer), up to
    /// <see cref="QueuedExpiryScanLimit"/>, and deletes the expired ones on the writer, each only if it is still
    /// queued, unclaimed and expired there. Restarts from the first queued job after reaching the last.
    /// </summary>
    private async Task<long> DeleteExpiredQueuedAsync(DateTime limit, CancellationToken cancellationToken)
    {
        var end = StatusKey.StatusEnd(JobStatus.Queued);
        var from = _queuedExpiryScanFrom ?? StatusKey.StatusStart(JobStatus.Queued);
        long deleted = 0;
        for (var read = 0; read < QueuedExpiryScanLimit;)
        {
            var chunk = Math.Min(ActionChunk, QueuedExpiryScanLimit - read);
            var rows = Jobs.Query()
                .Where(Expressions.Between(JobFields.StatusKey, from, end))
                .Select(s_expiryScanFields)
                .Limit(chunk)
                .ToList();
            read += rows.Count;
            var expired = rows
                .Where(row => JobDocuments.Date(row, MrqJobFields.DateExpires) <= limit)
                .Select(row => JobDocuments.ToJobId(row[MrqJobFields.Id].AsObjectId))
                .ToList();
            if (expired.Count > 0)
            {
                deleted += await _database.WriteAsync(database => DeleteIfExpiredQueued(Jobs, expired, limit), cancellationToken).ConfigureAwait(false);
            }

            if (rows.Count < chunk)
            {
                _queuedExpiryScanFrom = null;
                return deleted;
            }

            // The next key after the last one read: the key with a 0x00 byte appended (LiteDB compares bytes in order).
            from = [.. rows[^1][JobFields.StatusKey].AsBinary, 0x00];
        }

        _queuedExpiryScanFrom = from;
        return deleted;
    }

    private int DeleteIfExpiredQueued(ILiteCollection<BsonDocument> jobs, List<JobId> ids, DateTime limit)
    {
        var expired = new List<BsonDocument>();
        foreach (var id in ids)
        {
            if (FindForWrite(jobs, id, out var claimed) is { } doc
                && !claimed
                && JobDocuments.StatusOf(doc) == JobStatus.Queued
                && JobDocuments.Date(doc, MrqJobFields.DateExpires) <= limit)
            {
                expired.Add(doc);
            }
        }

        return DeleteJobs(jobs, expired);
    }
}
