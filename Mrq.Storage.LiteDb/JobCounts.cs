using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// How many jobs the file holds per (status, queue): one small document per pair in
/// <see cref="LiteDbCollections.JobCounts"/> (<c>{_id: [status byte][queue], n}</c>, removed at zero), changed by every
/// insert, status or queue change and delete of a job in the same transaction as the job itself, so the counts are
/// exactly the jobs on disk after any commit, rollback or crash. The overview and the counts of status/queue filters
/// read these few documents instead of walking the status key index (seconds on a million jobs). Claimed jobs are
/// queued on disk; readers move them to started (see <see cref="ClaimedJobs"/>).
/// </summary>
internal static class JobCounts
{
    /// <summary>The version of the counting rules; a file without this marker (or another version) is recounted.</summary>
    public const int Version = 1;

    private const string CountField = "n";
    private const string VersionId = "$version";

    /// <summary>Reader: the counts on disk (last commit).</summary>
    public static Dictionary<CountKey, long> Read(ILiteCollection<BsonDocument> counts)
    {
        var read = new Dictionary<CountKey, long>();
        foreach (var doc in counts.FindAll())
        {
            if (CountKey.TryParse(doc["_id"], out var key))
            {
                read[key] = doc[CountField].AsInt64;
            }
        }

        return read;
    }

    /// <summary>Writer: adds the changes of one operation to the counters (inside its transaction).</summary>
    public static void Apply(ILiteCollection<BsonDocument> counts, Dictionary<CountKey, long> deltas)
    {
        foreach (var (key, delta) in deltas)
        {
            if (delta == 0)
            {
                continue;
            }

            var id = key.ToId();
            var count = (counts.FindById(id) is { } doc ? doc[CountField].AsInt64 : 0) + delta;
            if (count > 0)
            {
                counts.Upsert(new BsonDocument { ["_id"] = id, [CountField] = count });
            }
            else
            {
                // Never below zero: a job is always counted before it is uncounted.
                counts.Delete(id);
            }
        }
    }

    /// <summary>
    /// Writer, when the storage opens (after jobs left started were requeued): recounts from the status key index when
    /// the file has no counters of this version (a new file, or one written before they existed), or counts jobs
    /// started on disk (the requeue at open just moved those without counting). Returns true when it recounted.
    /// </summary>
    public static bool EnsureCounted(ILiteCollection<BsonDocument> jobs, ILiteCollection<BsonDocument> counts)
    {
        var marker = counts.FindById(VersionId);
        var current = marker is not null && marker[CountField].AsInt32 == Version;
        if (current && !Read(counts).Any(pair => pair.Key.Status == JobStatus.Started))
        {
            return false;
        }

        counts.DeleteAll();
        var recount = new Dictionary<CountKey, long>();
        foreach (var status in JobStatusNames.All)
        {
            var keys = jobs.Query()
                .Where(Expressions.Between(JobFields.StatusKey, StatusKey.StatusStart(status), StatusKey.StatusEnd(status)))
                .Select(JobFields.StatusKeyPath)
                .ToEnumerable();
            foreach (var row in keys)
            {
                Add(recount, CountKey.OfStatusKey(row[JobFields.StatusKey].AsBinary), 1);
            }
        }

        Apply(counts, recount);
        counts.Upsert(new BsonDocument { ["_id"] = VersionId, [CountField] = Version });
        return true;
    }

    /// <summary>Adds <paramref name="delta"/> to a pending change.</summary>
    public static void Add(Dictionary<CountKey, long> deltas, CountKey key, long delta) =>
        deltas[key] = deltas.GetValueOrDefault(key) + delta;
}
