using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Serializes every write to the LiteDB file on one dedicated thread and commits them in groups: whatever is waiting
/// when the thread comes round runs in ONE transaction, then every caller of the group is completed. LiteDB binds a
/// transaction to its thread, so no transaction ever spans an await; callers only await the completion. A group
/// that fails is rolled back and its operations rerun one transaction each, so one bad operation fails alone.
/// </summary>
internal sealed class LiteDbWriter
{
    /// <summary>The most operations committed in one group (bounds transaction size and caller latency).</summary>
    private const int MaxGroup = 512;

    private readonly LiteDatabase _database;
    private readonly Action? _flush;
    private readonly Action? _committed;
    private readonly Action? _rolledBack;
    private readonly object _gate = new();
    private readonly Queue<WriteOperation> _pending = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private bool _stopping;

    /// <param name="database">The database, written only by this writer's thread.</param>
    /// <param name="flush">Runs on the writer thread after each commit, before callers complete (fsync); may throw.</param>
    /// <param name="committed">Runs on the writer thread right after each commit (publishes in-memory state); must not throw.</param>
    /// <param name="rolledBack">Runs on the writer thread after each rollback (undoes in-memory state); must not throw.</param>
    public LiteDbWriter(LiteDatabase database, Action? flush, Action? committed, Action? rolledBack)
    {
        _database = database;
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
                lock (_gate)
                {
                    while (_pending.Count == 0 && !_stopping)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_pending.Count == 0)
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

                if (group.Count > 0)
                {
                    RunGroup(group);
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void RunGroup(List<WriteOperation> group)
    {
        try
        {
            // Operations of one group are concurrent (none has completed), so any order is a valid one: those that
            // only read go first, while reads are still cheap (see WriteOperation.ReadsOnly). A rerun after a
            // failure keeps the queue order.
            _database.BeginTrans();
            foreach (var operation in group)
            {
                if (operation.ReadsOnly)
                {
                    operation.Execute(_database);
                }
            }

            foreach (var operation in group)
            {
                if (!operation.ReadsOnly)
                {
                    operation.Execute(_database);
                }
            }

            _database.Commit();
            _committed?.Invoke();
        }
        catch (Exception groupFailure)
        {
            TryRollback();
            if (group.Count == 1)
            {
                group[0].Fail(groupFailure);
                return;
            }

            foreach (var operation in group)
            {
                RunAlone(operation);
            }

            return;
        }

        Finish(group);
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

    private void RunAlone(WriteOperation operation)
    {
        try
        {
            _database.BeginTrans();
            operation.Execute(_database);
            _database.Commit();
            _committed?.Invoke();
        }
        catch (Exception failure)
        {
            TryRollback();
            operation.Fail(failure);
            return;
        }

        Finish([operation]);
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
