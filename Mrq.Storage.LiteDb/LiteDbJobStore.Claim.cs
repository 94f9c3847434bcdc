using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbJobStore
{
    private static readonly string s_started = JobStatus.Started.ToMrqName();

    /// <inheritdoc/>
    /// <remarks>
    /// One writer operation: read the queue's queued range of the status key index in order, skip jobs already
    /// claimed, and mark the first <see cref="ClaimRequest.MaxCount"/> matching ones started in memory
    /// (<see cref="ClaimedJobs"/>). Nothing is written to the file until each job's outcome is.
    /// </remarks>
    public async ValueTask<IReadOnlyList<JobRecord>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        var now = JobDocuments.Utc(request.Now);
        var whitelist = request.PathWhitelist is { } white ? new HashSet<string>(white, StringComparer.Ordinal) : null;
        var blacklist = request.PathBlacklist is { } black ? new HashSet<string>(black, StringComparer.Ordinal) : null;
        var order = request.Reverse ? Query.Descending : Query.Ascending;

        var claimed = await _database.ReadOnWriterAsync(
            database =>
            {
                var jobs = Jobs;
                var lowest = StatusKey.QueueStart(JobStatus.Queued, request.Queue);
                var highest = StatusKey.QueueEnd(JobStatus.Queued, request.Queue);
                var unfiltered = whitelist is null && blacklist is null;
                if ((unfiltered ? _cursors.Get(request.Queue, request.Reverse) : null) is { } resume)
                {
                    // Every queued job before the cursor is claimed: start there instead of walking over them.
                    if (request.Reverse)
                    {
                        highest = resume;
                    }
                    else
                    {
                        lowest = resume;
                    }
                }
                else if (_claimed.WorkingCount > 0)
                {
                    // Start past the claimed head of the range (the tail, when reversed).
                    if (FirstUnclaimedKey(jobs, lowest, highest, order) is not { } first)
                    {
                        return new List<BsonDocument>();
                    }

                    if (request.Reverse)
                    {
                        highest = first;
                    }
                    else
                    {
                        lowest = first;
                    }
                }

                var range = jobs.Query()
                    .Where(Expressions.Between(JobFields.StatusKey, lowest, highest))
                    .OrderBy(JobFields.StatusKeyPath, order);
                var taken = new List<BsonDocument>(Math.Min(request.MaxCount, 1024));
                byte[]? lastKey = null;
                foreach (var doc in range.ToEnumerable())
                {
                    var id = JobDocuments.ToJobId(doc[MrqJobFields.Id].AsObjectId);
                    if (_claimed.IsWorking(id) || (!unfiltered && !PathAllowed(doc, whitelist, blacklist)))
                    {
                        continue;
                    }

                    lastKey = doc[JobFields.StatusKey].AsBinary;
                    doc[MrqJobFields.Status] = s_started;
                    doc[MrqJobFields.DateStarted] = now;
                    doc[MrqJobFields.Worker] = request.Worker;
                    doc.Remove(MrqJobFields.DateExpires);
                    JobDocuments.RefreshStatusKey(doc);
                    _claimed.Set(id, doc);
                    taken.Add(doc);
                    if (taken.Count == request.MaxCount)
                    {
                        break;
                    }
                }

                if (unfiltered && lastKey is not null)
                {
                    _cursors.Set(request.Queue, request.Reverse, lastKey);
                }

                return taken;
            },
            cancellationToken).ConfigureAwait(false);

        var records = new JobRecord[claimed.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = JobDocuments.ToRecord(claimed[i]);
        }

        return records;
    }

    /// <summary>
    /// Writer: the first key of a queue's queued range (in claim order) whose job is not claimed, read from the index
    /// alone. Claimed jobs keep their queued key on disk and sit at the head of the range, so this skips them
    /// without loading their documents.
    /// </summary>
    private byte[]? FirstUnclaimedKey(ILiteCollection<BsonDocument> jobs, byte[] lowest, byte[] highest, int order)
    {
        var keys = jobs.Query()
            .Where(Expressions.Between(JobFields.StatusKey, lowest, highest))
            .OrderBy(JobFields.StatusKeyPath, order)
            .Select(JobFields.StatusKeyPath)
            .ToEnumerable();
        foreach (var row in keys)
        {
            var key = row[JobFields.StatusKey].AsBinary;
            if (!_claimed.IsWorking(IdOf(key)))
            {
                return key;
            }
        }

        return null;
    }

    private static bool PathAllowed(BsonDocument doc, HashSet<string>? whitelist, HashSet<string>? blacklist)
    {
        var path = doc[MrqJobFields.Path].AsString;
        return (whitelist is null || whitelist.Contains(path)) && (blacklist is null || !blacklist.Contains(path));
    }
}
