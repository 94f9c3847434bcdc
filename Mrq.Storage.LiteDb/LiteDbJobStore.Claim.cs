using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbJobStore
{
    private static readonly string s_queued = JobStatus.Queued.ToMrqName();
    private static readonly string s_started = JobStatus.Started.ToMrqName();

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<JobRecord>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        var lowest = StatusKey.QueueStart(JobStatus.Queued, request.Queue);
        var highest = StatusKey.QueueEnd(JobStatus.Queued, request.Queue);
        var now = JobDocuments.Utc(request.Now);
        var whitelist = request.PathWhitelist is { } white ? new HashSet<string>(white, StringComparer.Ordinal) : null;
        var blacklist = request.PathBlacklist is { } black ? new HashSet<string>(black, StringComparer.Ordinal) : null;

        var claimed = await _database.WriteAsync(
            database =>
            {
                var jobs = JobsOf(database);
                var range = jobs.Query()
                    .Where(Query.Between(JobFields.StatusKey, lowest, highest))
                    .OrderBy("$." + JobFields.StatusKey, request.Reverse ? Query.Descending : Query.Ascending);
                var taken = new List<BsonDocument>(Math.Min(request.MaxCount, 1024));
                foreach (var doc in range.ToEnumerable())
                {
                    if (whitelist is null && blacklist is null || PathAllowed(doc, whitelist, blacklist))
                    {
                        taken.Add(doc);
                        if (taken.Count == request.MaxCount)
                        {
                            break;
                        }
                    }
                }

                foreach (var doc in taken)
                {
                    doc[JobFields.Status] = s_started;
                    doc[JobFields.DateStarted] = now;
                    doc[JobFields.Worker] = request.Worker;
                    doc.Remove(JobFields.DateExpires);
                    JobDocuments.RefreshStatusKey(doc);
                }

                if (taken.Count > 0)
                {
                    jobs.Update(taken);
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

    private static bool PathAllowed(BsonDocument doc, HashSet<string>? whitelist, HashSet<string>? blacklist)
    {
        var path = doc[JobFields.Path].AsString;
        return (whitelist is null || whitelist.Contains(path)) && (blacklist is null || !blacklist.Contains(path));
    }
}
