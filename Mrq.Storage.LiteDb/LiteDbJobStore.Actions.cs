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
        var ids = Matching(filter).Select(job => JobDocuments.ToObjectId(job.Id)).ToList();
        long changed = 0;
        for (var start = 0; start < ids.Count; start += ActionChunk)
        {
            var chunk = ids.GetRange(start, Math.Min(ActionChunk, ids.Count - start));
            changed += await _database.WriteAsync(
                database =>
                {
                    var jobs = JobsOf(database);
                    var count = 0;
                    foreach (var id in chunk)
                    {
                        if (jobs.FindById(id) is not { } doc)
                        {
                            continue;
                        }

                        var job = JobDocuments.ToRecord(doc);
                        if (!filter.Matches(job) || !JobStateMachine.CanTransition(job.Status, target))
                        {
                            continue;
                        }

                        doc[JobFields.Status] = targetName;
                        doc[JobFields.DateUpdated] = now;
                        JobDocuments.SetDate(doc, JobFields.DateExpires, expires);
                        if (target == JobStatus.Queued)
                        {
                            doc[JobFields.DateQueued] = now;
                            if (action.DestinationQueue is { } destination)
                            {
                                doc[JobFields.Queue] = destination;
                            }

                            if (action.Kind == JobActionKind.Requeue)
                            {
                                doc[JobFields.RetryCount] = 0;
                            }
                        }

                        JobDocuments.RefreshStatusKey(doc);
                        jobs.Update(doc);
                        count++;
                    }

                    return count;
                },
                cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    /// <inheritdoc/>
    public async ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken)
    {
        var limit = JobDocuments.Utc(now);
        var expired = Jobs.Query()
            .Where(Query.Between(JobFields.DateExpires, DateTime.UnixEpoch, limit))
            .Select("$._id")
            .ToEnumerable()
            .Select(row => row[JobFields.Id])
            .ToList();
        long deleted = 0;
        for (var start = 0; start < expired.Count; start += ActionChunk)
        {
            var chunk = expired.GetRange(start, Math.Min(ActionChunk, expired.Count - start));
            deleted += await _database.WriteAsync(
                database =>
                {
                    var jobs = JobsOf(database);
                    var count = 0;
                    foreach (var id in chunk)
                    {
                        // Re-checked on the writer: a job requeued since the read has a new expiry and stays.
                        if (jobs.FindById(id) is { } doc && JobDocuments.Date(doc, JobFields.DateExpires) is { } expires && expires <= limit)
                        {
                            jobs.Delete(id);
                            count++;
                        }
                    }

                    return count;
                },
                cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }
}
