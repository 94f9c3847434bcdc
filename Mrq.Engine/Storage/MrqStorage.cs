namespace Mrq.Storage;

/// <summary>
/// The storage a Mrq engine runs on: one implementation of each SPI part. Embedded mode supplies every part from
/// one LiteDB file; distributed mode takes jobs, workers and logs from MongoDB and the rest from Redis. Build one
/// with <see cref="MrqStorageParts"/>.
/// </summary>
public sealed class MrqStorage : IAsyncDisposable, IDisposable
{
    private readonly IReadOnlyList<object> _owned;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;
    private int _disposed;

    internal MrqStorage(MrqStorageParts parts, IReadOnlyList<object> owned)
    {
        Capabilities = parts.Capabilities!;
        Jobs = parts.Jobs!;
        RawQueues = parts.RawQueues!;
        QueueStates = parts.QueueStates!;
        Notifier = parts.Notifier!;
        Locks = parts.Locks!;
        RateLimits = parts.RateLimits!;
        Workers = parts.Workers!;
        Logs = parts.Logs!;
        SizeCounter = parts.SizeCounter;
        Schedules = parts.Schedules;
        _owned = owned;
    }

    /// <summary>What the storage supplies.</summary>
    public StorageCapabilities Capabilities { get; }

    /// <summary>Regular-queue jobs.</summary>
    public IJobStore Jobs { get; }

    /// <summary>Raw queues.</summary>
    public IRawQueueStore RawQueues { get; }

    /// <summary>Paused queues.</summary>
    public IQueueStateStore QueueStates { get; }

    /// <summary>Worker wake-ups.</summary>
    public IJobNotifier Notifier { get; }

    /// <summary>max_concurrency locks.</summary>
    public ILockStore Locks { get; }

    /// <summary>Rate limit counters.</summary>
    public IRateLimitStore RateLimits { get; }

    /// <summary>Worker reports.</summary>
    public IWorkerStore Workers { get; }

    /// <summary>Job logs.</summary>
    public IJobLogStore Logs { get; }

    /// <summary>MRQ's queuesize counters, when the backend keeps them; null means sizes are counted from jobs.</summary>
    public IQueueSizeCounter? SizeCounter { get; }

    /// <summary>The scheduler's state (<c>mrq_scheduled_jobs</c>), or null when the backend keeps none.</summary>
    public IScheduleStore? Schedules { get; }

    /// <summary>
    /// Runs every part's <see cref="IStorageInitializer.InitializeAsync"/> once (connect, create indexes, recover
    /// after a crash). Safe to call many times and concurrently.
    /// </summary>
    /// <exception cref="MrqStorageException">A server cannot be reached or a file cannot be opened.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            foreach (var part in _owned.OfType<IStorageInitializer>())
            {
                await part.InitializeAsync(cancellationToken).ConfigureAwait(false);
            }

            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>
    /// Disposes the parts synchronously (for hosts disposed with <c>Dispose</c>); prefer <see cref="DisposeAsync"/>.
    /// Every shipped backend's resources are synchronously disposable.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var part in _owned)
        {
            if (part is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        _initLock.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var part in _owned)
        {
            switch (part)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _initLock.Dispose();
    }
}
