using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbJobStore
{
    /// <summary>Jobs changed per writer operation, so a large action never holds the writer for long.</summary>
    private const int ActionChunk = 1000;

    /// <inheritdoc/>
    public async ValueTask<long> ApplyActionAsync(JobAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var filter = action.EffectiveFilter();
        var target = action.TargetStatus;
        var targetName = target.ToMrqName();
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
                        doc[MrqJobFields.Status] = targetName;
                        doc[MrqJobFields.DateUpdated] = now;
                        JobDocuments.SetDate(doc, MrqJobFields.DateExpires, expires);
                        if (target == JobStatus.Queued)
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
                    _cursors.Written(changed);
                    return changed.Count == 0 ? 0 : jobs.Update(changed);
                },
                cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>
    /// Deletes expired jobs through the status key, which holds <c>dateexpires</c> for every status but queued: a
    /// (status, queue) range up to now is exactly the expired jobs. Queued jobs are never deleted by expiry here, as
    /// their key orders them by datequeued; a job still waiting to run is kept rather than dropped unrun. Claimed
    /// jobs are queued on disk, so they are never deleted either.
    /// </summary>
    public async ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken)
    {
        var limit = JobDocuments.Utc(now);
        long deleted = 0;
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
                                .Select("$._id")
                                .Limit(ActionChunk)
                                .ToList();
                            foreach (var row in expired)
                            {
                                jobs.Delete(row[MrqJobFields.Id]);
                            }

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
}
