using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Where the next claim of a queue starts reading its queued range, so claims do not walk again over the jobs this
/// process already claimed (they keep their queued key on disk until their outcome is written, see
/// <see cref="ClaimedJobs"/>). A cursor is the key of the last job an unfiltered claim took; it holds only while
/// every queued job on its side of the cursor is claimed, so any write that puts a job in the queued range at or
/// before the cursor (a release, a requeue, an insert with an older date) drops it, and so does a rollback. Writer
/// thread only.
/// </summary>
internal sealed class ClaimCursors
{
    private static readonly byte s_queuedStatusByte = StatusKey.StatusStart(JobStatus.Queued)[0];

    private readonly List<Cursor> _cursors = [];

    /// <summary>The key the next claim of <paramref name="queue"/> may start from (inclusive), or null.</summary>
    public byte[]? Get(string queue, bool reverse) => IndexOf(queue, reverse) is var i and >= 0 ? _cursors[i].Key : null;

    /// <summary>Records the key of the last job an unfiltered claim of <paramref name="queue"/> took.</summary>
    public void Set(string queue, bool reverse, byte[] key)
    {
        if (IndexOf(queue, reverse) is var i and >= 0)
        {
            _cursors[i] = _cursors[i] with { Key = key };
        }
        else
        {
            _cursors.Add(new Cursor(queue, reverse, key, QueuePrefixLength(key)));
        }
    }

    /// <summary>Drops the cursors a document written with status key <paramref name="key"/> falls behind.</summary>
    private void Written(byte[] key)
    {
        if (_cursors.Count == 0 || key.Length == 0 || key[0] != s_queuedStatusByte)
        {
            return;
        }

        for (var i = _cursors.Count - 1; i >= 0; i--)
        {
            var cursor = _cursors[i];
            if (key.Length == cursor.Key.Length
                && key.AsSpan(0, cursor.PrefixLength).SequenceEqual(cursor.Key.AsSpan(0, cursor.PrefixLength)))
            {
                var order = key.AsSpan().SequenceCompareTo(cursor.Key);
                if (cursor.Reverse ? order >= 0 : order <= 0)
                {
                    _cursors.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Drops the cursors the documents' status keys fall behind.</summary>
    public void Written(IEnumerable<BsonDocument> documents)
    {
        if (_cursors.Count == 0)
        {
            return;
        }

        foreach (var doc in documents)
        {
            Written(doc[JobFields.StatusKey].AsBinary);
        }
    }

    private int IndexOf(string queue, bool reverse) =>
        _cursors.FindIndex(c => c.Reverse == reverse && string.Equals(c.Queue, queue, StringComparison.Ordinal));

    /// <summary>Forgets every cursor (after a rollback: the claims they followed are undone).</summary>
    public void Clear() => _cursors.Clear();

    /// <summary>The length of <c>[status][queue][0x00]</c> in a queued key.</summary>
    private static int QueuePrefixLength(byte[] key) => Array.IndexOf(key, (byte)0, 1) + 1;

    private sealed record Cursor(string Queue, bool Reverse, byte[] Key, int PrefixLength);
}
