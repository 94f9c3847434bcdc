namespace Mrq.Storage.InMemory;

/// <summary>The in-memory <see cref="IQueueStateStore"/>: the paused-queue set under a lock.</summary>
internal sealed class InMemoryQueueStateStore : IQueueStateStore
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _paused = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask PauseAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        lock (_gate)
        {
            _paused.Add(queue);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ResumeAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        lock (_gate)
        {
            _paused.Remove(queue);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlySet<string>> GetPausedAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlySet<string>>(cancellationToken);
        }

        lock (_gate)
        {
            // A snapshot: the caller may keep or change it without touching the store.
            return new(new HashSet<string>(_paused, StringComparer.Ordinal));
        }
    }
}
