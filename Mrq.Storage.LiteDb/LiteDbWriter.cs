using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Serializes every write to the LiteDB file on one dedicated thread and commits them in groups: whatever is waiting
/// when the thread comes round runs in ONE transaction, then every caller of the group is completed. LiteDB binds a
/// transaction to its thread, so no transaction ever spans an await; callers only await the completion. A group
/// that fails is rolled back and its operations rerun one transaction each, so one bad operation fails alone. A group
/// that fails with an I/O error (a full disk) fails as a whole and the file is reopened (see
/// <see cref="WriteFailureRecovery"/>): later writes get a clear error without wedging, and resume by themselves.
/// </summary>
internal sealed class LiteDbWriter
{
    /// <summary>The most operations committed in one group (bounds transaction size and caller latency).</summary>
    private const int MaxGroup = 512;

    /// <summary>How long no write must come before a due <see cref="IdleCheckpoint"/> runs.</summary>
    private static readonly TimeSpan s_quietBeforeCheckpoint = TimeSpan.FromMilliseconds(2);

    private readonly WriteFailureRecovery _recovery;
    private readonly Action? _flush;
    private readonly Action? _committed;
    private readonly Action? _rolledBack;
    private readonly IdleCheckpoint? _idleCheckpoint;
    private readonly object _gate = new();
    private readonly Queue<WriteOperation> _pending = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private LiteDatabase _database;
    private bool _stopping;

    /// <param name="database">The database, written only by this writer's thread.</param>
    /// <param name="recovery">Reopens the file after an I/O failure and refuses writes while it lasts.</param>
    /// <param name="flush">Runs on the writer thread after each commit, before callers complete (fsync); may throw.</param>
    /// <param name="committed">Runs on the writer thread right after each commit (publishes in-memory state); must not throw.</param>
    /// <param name="rolledBack">Runs on the writer thread after each rollback (undoes in-memory state); must not throw.</param>
    /// <param name="idleCheckpoint">Checkpoints the file when the writer is quiet; null leaves checkpoints to LiteDB.</param>
    public LiteDbWriter(LiteDatabase database, WriteFailureRecovery recovery, Action? flush, Action? committed, Action? rolledBack, IdleCheckpoint? idleCheckpoint = null)
    {
        _idleCheckpoint = idleCheckpoint;
        _database = database;
        _recovery = recovery;
        _flush = flush;
        _committed = committed;
        _rolledBack = rolledBack;
        _thread = new Thread(Run) { IsBackground = true, Name = "Mrq LiteDB writer" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="work"/>; the task completes once it is committed.</summary>
    /// <param name="work">The work, run on the writer thread inside a transaction.</param>
    /// <param name="readsOnly">The work reads the file but never writes it (see <see cref="WriteOperation.ReadsOnly"/>).</param>
    /// <param name="cancellationToken">Skips the work when cancelled before it runs.</param>
    /// <exception cref="ObjectDisposedException">The storage is disposed.</exception>
    public Task<T> WriteAsync<T>(Func<LiteDatabase, T> work, bool readsOnly, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var operation = new WriteOperation<T>(work, readsOnly, cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _pending.Enqueue(operation);
            if (_pending.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }

        return operation.Task;
    }

    /// <summary>Stops taking writes, commits what is queued and ends the thread.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        return _stopped.Task;
    }

    private void Run()
    {
        var group = new List<WriteOperation>(MaxGroup);
        try
        {
            while (true)
            {
                group.Clear();
                var checkpoint = false;

                // Read the journal's size outside the lock, so callers queueing writes never wait on that I/O.
                var checkpointDue = CheckpointDue();
                lock (_gate)
                {
                    while (_pending.Count == 0 && !_stopping)
                    {
                        if (!checkpointDue)
                        {
                            Monitor.Wait(_gate);
                        }
                        else if (!Monitor.Wait(_gate, s_quietBeforeCheckpoint) && _pending.Count == 0 && !_stopping)
                        {
                            checkpoint = true;
                            break;
                        }
                    }

                    if (!checkpoint && _pending.Count == 0)
                    {
                        break;
                    }

                    while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
                    {
                        if (next.CancellationToken.IsCancellationRequested)
                        {
                            next.Cancel();
                        }
                        else
                        {
                            group.Add(next);
                        }
                    }
                }

                if (checkpoint)
                {
                    // Outside the lock: callers keep queueing writes while it runs.
                    RunIdleCheckpoint();
                }
                else if (group.Count > 0)
                {
                    Dispatch(group);
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private bool CheckpointDue() => _idleCheckpoint is not null && !_recovery.Failing && _idleCheckpoint.IsDue(_database);

    private void RunIdleCheckpoint()
    {
        try
        {
            _idleCheckpoint!.Run();
        }
        catch (Exception failure)
        {
            // Nothing waits on a checkpoint: an I/O failure (a full disk) reopens the file as a failed commit does,
            // and the next writes report it; anything else leaves the journal for LiteDB's own checkpoint.
            Recover(failure);
        }
    }

    /// <summary>
    /// Runs a group, unless an I/O failure still lasts: then the operations that write fail at once with its error
    /// (they never reach LiteDB), and those that only read run on the reopened file.
    /// </summary>
    private void Dispatch(List<WriteOperation> group)
    {
        if (!_recovery.MayWrite(ref _database))
        {
            var canRead = _recovery.CanRead;
            foreach (var operation in group.Where(o => !canRead || !o.ReadsOnly))
            {
                operation.Fail(_recovery.Error());
            }

            group.RemoveAll(o => !canRead || !o.ReadsOnly);
            if (group.Count == 0)
            {
                return;
            }
        }

        RunGroup(group);
    }

    private void RunGroup(List<WriteOperation> group)
    {
        // Operations of one group are concurrent (none has completed), so any order is a valid one: those that
        // only read go first, while reads are still cheap (see WriteOperation.ReadsOnly). A rerun after a
        // failure keeps the queue order.
        var failure = Transact([.. group.Where(o => o.ReadsOnly), .. group.Where(o => !o.ReadsOnly)]);
        if (failure is null)
        {
            Finish(group);
            return;
        }

        var io = WriteFailureRecovery.IsIoFailure(failure);
        if (group.Count == 1 || io)
        {
            // An I/O failure fails the whole group: each operation alone would fail the same way.
            foreach (var operation in group)
            {
                operation.Fail(io ? _recovery.Error() : failure);
            }

            return;
        }

        foreach (var operation in group)
        {
            RunAlone(operation);
        }
    }

    private void RunAlone(WriteOperation operation)
    {
        if (Transact([operation]) is { } failure)
        {
            operation.Fail(WriteFailureRecovery.IsIoFailure(failure) ? _recovery.Error() : failure);
            return;
        }

        Finish([operation]);
    }

    /// <summary>Runs the operations in one transaction; returns null once it committed, else the failure (rolled back).</summary>
    private Exception? Transact(IReadOnlyCollection<WriteOperation> operations)
    {
        try
        {
            _database.BeginTrans();
            foreach (var operation in operations)
            {
                operation.Execute(_database);
            }
        }
        catch (Exception failure)
        {
            TryRollback();
            Recover(failure);
            return failure;
        }

        try
        {
            _database.Commit();
        }
        catch (Exception failure)
        {
            // Once a transaction is durable, LiteDB's Commit may still copy its journal into the file (a checkpoint)
            // and fail there, leaving no transaction to roll back: then the operations are committed.
            if (RollbackAfterFailedCommit())
            {
                _rolledBack?.Invoke();
                Recover(failure);
                return failure;
            }

            _committed?.Invoke();
            Recover(failure);
            return null;
        }

        _committed?.Invoke();
        if (operations.Any(o => !o.ReadsOnly))
        {
            _recovery.Succeeded();
        }

        return null;
    }

    /// <summary>Rolls back after a failed commit; false when no transaction was left (it had committed).</summary>
    private bool RollbackAfterFailedCommit()
    {
        try
        {
            return _database.Rollback();
        }
        catch (Exception)
        {
            // A commit that failed half-way cannot even be rolled back ("page must be writable"): not committed.
            return true;
        }
    }

    /// <summary>After an I/O failure the engine is unusable: the file is reopened (see <see cref="WriteFailureRecovery"/>).</summary>
    private void Recover(Exception failure)
    {
        if (WriteFailureRecovery.IsIoFailure(failure))
        {
            _database = _recovery.Failed(failure) ?? _database;
        }
    }

    private void Finish(List<WriteOperation> committed)
    {
        try
        {
            _flush?.Invoke();
        }
        catch (Exception flushFailure)
        {
            // Committed but not confirmed on disk: callers must not take it as acknowledged.
            foreach (var operation in committed)
            {
                operation.Fail(flushFailure);
            }

            return;
        }

        foreach (var operation in committed)
        {
            operation.Publish();
        }
    }

    private void TryRollback()
    {
        try
        {
            _database.Rollback();
        }
        catch (Exception)
        {
            // The transaction is gone either way; the operation's own failure is what callers see.
        }

        _rolledBack?.Invoke();
    }
}
