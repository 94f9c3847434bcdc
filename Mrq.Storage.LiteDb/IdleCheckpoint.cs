using System.Reflection;
using LiteDB;
using LiteDB.Engine;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Checkpoints the file while its writer is quiet. LiteDB's own checkpoint copies the whole journal into the data file,
/// fsyncs it, empties the journal and drops its page cache, and runs inside the commit that grew the journal past 1,000
/// pages (8 MiB): that commit's callers, and every write queued behind it, wait the several milliseconds it takes (the
/// tail of an idle enqueue→start latency). Checkpointing at 500 pages once no write has come for 2 ms makes it
/// smaller and lands it between writes, so LiteDB's own checkpoint, kept as the limit under sustained load, rarely runs.
/// It is LiteDB's soft checkpoint (skipped while another thread reads), reached by reflection: LiteDB does not expose
/// it, and its public one waits for readers. With a LiteDB whose internals differ it is not found, and checkpoints are
/// left to LiteDB as before.
/// </summary>
internal sealed class IdleCheckpoint
{
    /// <summary>Journal size from which a quiet writer checkpoints: half of LiteDB's own threshold.</summary>
    public const long JournalBytes = 500L * 8192;

    private static readonly FieldInfo? s_engineField = typeof(LiteDatabase).GetField("_engine", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? s_walIndexField = typeof(LiteEngine).GetField("_walIndex", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly string _journalPath;
    private readonly Func<LiteDatabase, Func<int>?> _bind;
    private LiteDatabase? _boundTo;
    private Func<int>? _tryCheckpoint;

    // The journal's length when a checkpoint last failed or was skipped (readers held the file): it is not tried again
    // until a write grows the journal, so a checkpoint that keeps failing never turns the writer into a loop.
    private long _lengthAtUnfinishedAttempt = -1;

    /// <param name="journalPath">LiteDB's journal of the file (its size says when a checkpoint is due).</param>
    /// <param name="bind">Finds the checkpoint to run on a database (tests); LiteDB's soft checkpoint by default.</param>
    public IdleCheckpoint(string journalPath, Func<LiteDatabase, Func<int>?>? bind = null)
    {
        _journalPath = journalPath;
        _bind = bind ?? Bind;
    }

    /// <summary>Whether LiteDB's soft checkpoint can be reached on <paramref name="database"/>.</summary>
    public static bool IsAvailable(LiteDatabase database) => Bind(database) is not null;

    /// <summary>Whether the journal has grown enough to checkpoint <paramref name="database"/> now.</summary>
    public bool IsDue(LiteDatabase database)
    {
        if (!ReferenceEquals(database, _boundTo))
        {
            _boundTo = database;
            _tryCheckpoint = _bind(database);
        }

        if (_tryCheckpoint is null)
        {
            return false;
        }

        var length = JournalLength();
        return length >= JournalBytes && length != _lengthAtUnfinishedAttempt;
    }

    /// <summary>Runs the checkpoint (after <see cref="IsDue"/> returned true); returns the pages copied.</summary>
    public int Run()
    {
        var length = JournalLength();
        _lengthAtUnfinishedAttempt = length;
        var pages = _tryCheckpoint?.Invoke() ?? 0;
        if (pages > 0)
        {
            _lengthAtUnfinishedAttempt = -1;
        }

        return pages;
    }

    private long JournalLength()
    {
        try
        {
            return new FileInfo(_journalPath).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static Func<int>? Bind(LiteDatabase database)
    {
        if (s_engineField?.GetValue(database) is not LiteEngine engine || s_walIndexField?.GetValue(engine) is not { } walIndex)
        {
            return null;
        }

        var method = walIndex.GetType().GetMethod("TryCheckpoint", BindingFlags.Instance | BindingFlags.Public, Type.EmptyTypes);
        return method is not null && method.ReturnType == typeof(int) ? method.CreateDelegate<Func<int>>(walIndex) : null;
    }
}
