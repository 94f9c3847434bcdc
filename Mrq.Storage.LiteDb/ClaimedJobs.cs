using System.Collections.Concurrent;
using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// The jobs this process has claimed and not yet finished, held in memory only. The file is exclusive to one
/// process and every job found <c>started</c> when it is opened is requeued, so writing <c>started</c> to the file
/// would change nothing a crash leaves behind: a claimed job's document stays <c>queued</c> on disk (its key in the
/// queued range) until its outcome is written, which saves one document and index update per job. Every read of
/// the job store lays these documents over the file's.
/// <para>
/// The writer thread changes <see cref="_working"/> inside its transactions, recording an undo entry for each change;
/// a commit publishes the changed entries to <see cref="_published"/> (what readers see) and a rollback undoes them.
/// Documents are never changed once stored here (changes store a new copy), so readers and callers may share them.
/// </para>
/// </summary>
internal sealed class ClaimedJobs
{
    private readonly Dictionary<JobId, BsonDocument> _working = [];
    private readonly List<(JobId Id, BsonDocument? Previous)> _undo = [];
    private readonly ConcurrentDictionary<JobId, BsonDocument> _published = new();

    /// <summary>Writer: the number of claimed jobs, including uncommitted claims.</summary>
    public int WorkingCount => _working.Count;

    /// <summary>Writer: the current document of a claimed job.</summary>
    public bool TryGetWorking(JobId id, out BsonDocument document) => _working.TryGetValue(id, out document!);

    /// <summary>Writer: true when the job is claimed (committed or in this transaction).</summary>
    public bool IsWorking(JobId id) => _working.ContainsKey(id);

    /// <summary>Writer: stores the document of a newly claimed job, or a changed copy of a claimed one.</summary>
    public void Set(JobId id, BsonDocument document)
    {
        _undo.Add((id, _working.GetValueOrDefault(id)));
        _working[id] = document;
    }

    /// <summary>Writer: forgets a job whose outcome or new status was written to the file.</summary>
    public void Remove(JobId id)
    {
        if (_working.Remove(id, out var previous))
        {
            _undo.Add((id, previous));
        }
    }

    /// <summary>Writer, after commit: makes this transaction's changes visible to readers.</summary>
    public void Committed()
    {
        foreach (var (id, _) in _undo)
        {
            if (_working.TryGetValue(id, out var document))
            {
                _published[id] = document;
            }
            else
            {
                _published.TryRemove(id, out _);
            }
        }

        _undo.Clear();
    }

    /// <summary>Writer, after rollback: undoes this transaction's changes.</summary>
    public void RolledBack()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (id, previous) = _undo[i];
            if (previous is null)
            {
                _working.Remove(id);
            }
            else
            {
                _working[id] = previous;
            }
        }

        _undo.Clear();
    }

    /// <summary>Readers: the committed document of a claimed job.</summary>
    public bool TryGetPublished(JobId id, out BsonDocument document) => _published.TryGetValue(id, out document!);

    /// <summary>Readers: true when the job is claimed (committed).</summary>
    public bool IsPublished(JobId id) => _published.ContainsKey(id);

    /// <summary>Readers: the committed documents of every claimed job.</summary>
    public IEnumerable<BsonDocument> Published => _published.Values;
}
