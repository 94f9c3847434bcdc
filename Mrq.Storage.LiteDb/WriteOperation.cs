using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// One queued write: its work runs on the writer thread inside a group transaction, and its caller is completed
/// only once that transaction committed. The work must be repeatable (a failed group is rolled back and each
/// operation rerun alone) and have no effect outside the database.
/// </summary>
internal abstract class WriteOperation
{
    protected WriteOperation(bool readsOnly, CancellationToken cancellationToken)
    {
        ReadsOnly = readsOnly;
        CancellationToken = cancellationToken;
    }

    /// <summary>
    /// The work only reads the file (it may change in-memory state). Such operations run first in their group,
    /// while LiteDB still reads through a shared read snapshot: once a transaction has written to a collection,
    /// every page it reads from it is copied as writable, which makes reads after writes several times dearer.
    /// </summary>
    public bool ReadsOnly { get; }

    /// <summary>The caller's token: an operation cancelled before it runs is skipped.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Runs the work inside the current transaction, keeping its result until <see cref="Publish"/>.</summary>
    public abstract void Execute(LiteDatabase database);

    /// <summary>Hands the result to the caller (after commit).</summary>
    public abstract void Publish();

    /// <summary>Fails the caller.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Cancels the caller (the operation never ran).</summary>
    public abstract void Cancel();
}
