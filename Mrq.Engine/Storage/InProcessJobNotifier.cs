namespace Mrq.Storage;

/// <summary>
/// Wakes workers of this process when jobs are queued in it. Enough for embedded mode, where one process owns the
/// storage; distributed mode replaces it with Redis notify lists. A signal with no waiter stays pending, so a job
/// queued between a worker's empty claim and its wait is not missed.
/// </summary>
internal sealed class InProcessJobNotifier : IJobNotifier
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public ValueTask NotifyAsync(string queue, int count, CancellationToken cancellationToken)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            signal = GetOrAdd(QueueNames.Root(queue));
        }

        signal.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public async ValueTask<bool> WaitAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waits = new Task[queues.Count];
        lock (_gate)
        {
            if (TakeCompleted(queues))
            {
                return true;
            }

            for (var i = 0; i < queues.Count; i++)
            {
                waits[i] = GetOrAdd(QueueNames.Root(queues[i])).Task;
            }
        }

        try
        {
            await Task.WhenAny(waits).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }

        lock (_gate)
        {
            TakeCompleted(queues);
        }

        return true;
    }

    private TaskCompletionSource GetOrAdd(string root)
    {
        if (!_signals.TryGetValue(root, out var signal))
        {
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _signals[root] = signal;
        }

        return signal;
    }

    private bool TakeCompleted(IReadOnlyList<string> queues)
    {
        var any = false;
        foreach (var queue in queues)
        {
            var root = QueueNames.Root(queue);
            if (_signals.TryGetValue(root, out var signal) && signal.Task.IsCompleted)
            {
                _signals.Remove(root);
                any = true;
            }
        }

        return any;
    }
}
