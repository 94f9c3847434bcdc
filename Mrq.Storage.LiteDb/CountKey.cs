using System.Text;
using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// What a job is counted under in <see cref="LiteDbCollections.JobCounts"/>: its status and queue, as the file holds
/// them. Stored as the counter's <c>_id</c>: the status key's prefix, <c>[status byte][queue UTF-8]</c>.
/// </summary>
internal readonly record struct CountKey(JobStatus Status, string Queue)
{
    /// <summary>The status and queue a document carries (in memory: possibly changed since it was read).</summary>
    public static CountKey Of(BsonDocument doc) => new(JobDocuments.StatusOf(doc), doc[MrqJobFields.Queue].AsString);

    /// <summary>The status and queue in a status key (see <see cref="StatusKey"/>).</summary>
    public static CountKey OfStatusKey(byte[] key)
    {
        var end = Array.IndexOf(key, (byte)0, 1);
        return new(StatusKey.StatusOf(key), Encoding.UTF8.GetString(key, 1, end - 1));
    }

    /// <summary>Reads a counter's <c>_id</c>; false for anything else (e.g. the version marker).</summary>
    public static bool TryParse(BsonValue id, out CountKey key)
    {
        if (id.IsBinary && id.AsBinary is { Length: > 0 } bytes)
        {
            key = new(StatusKey.StatusOf(bytes), Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1));
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>The counter's <c>_id</c>.</summary>
    public BsonValue ToId() => new(StatusKey.PrefixStart(Status, Queue));
}
