using Mrq.Storage.LiteDb.Control;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// The embedded storage: every SPI part (jobs, raw queues, paused queues, locks, rate limits, worker reports, job
/// logs) in one LiteDB file, for one process. Writes are group-committed by one writer thread; a write is
/// acknowledged once its transaction is committed to the file, so it survives a crash of the process. Opening the
/// file, checking it and requeueing jobs a dead process left running happen in <see cref="MrqStorage.InitializeAsync"/>.
/// As every job left started is requeued on open anyway, a claim is held in memory and only the job's outcome is
/// written (one document update per job instead of two). Wake-ups use the engine's default in-process notifier;
/// queue sizes are counted from the jobs. Expired jobs are deleted by maintenance (LiteDB has no TTL), as MRQ's TTL
/// index deletes them: queued jobs too, found by a bounded scan that may take several maintenance passes.
/// </summary>
public static class LiteDbStorage
{
    /// <summary>The capabilities the LiteDB storage declares.</summary>
    public static StorageCapabilities Capabilities { get; } = new("litedb", Durable: true, SharedAcrossProcesses: false);

    /// <summary>
    /// Sets every part the LiteDB storage supplies on <paramref name="parts"/> (replacing what an earlier backend set)
    /// and hands it the database object, which opens the file when the storage initializes and closes it when the
    /// storage is disposed. The notifier and the optional queue size counter are left alone.
    /// </summary>
    /// <param name="parts">The parts being collected.</param>
    /// <param name="options">Where the file is and how it is written.</param>
    /// <returns><paramref name="parts"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="LiteDbStorageOptions.Path"/> is empty.</exception>
    public static MrqStorageParts AddTo(MrqStorageParts parts, LiteDbStorageOptions options) => AddTo(parts, options, endpoint: null);

    /// <summary>
    /// <see cref="AddTo(MrqStorageParts, LiteDbStorageOptions)"/>, with the control endpoint <paramref name="endpoint"/>
    /// makes (given the database) served while the file is open.
    /// </summary>
    internal static MrqStorageParts AddTo(MrqStorageParts parts, LiteDbStorageOptions options, Func<LiteDbDatabase, LiteDbControlEndpoint>? endpoint)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(options);
        var database = new LiteDbDatabase(options);

        // Owned before the database: initialized first (it opens the file itself) and, above all, disposed first,
        // so the socket is gone before the file's lock is released.
        if (endpoint is not null)
        {
            parts.Own(endpoint(database));
        }

        parts.Own(database);
        parts.Capabilities = Capabilities;
        var jobs = new LiteDbJobStore(database);

        // Owned after the database: its counters are checked once the file is open.
        parts.Own(jobs);
        parts.Jobs = jobs;
        parts.RawQueues = new LiteDbRawQueueStore(database);
        parts.QueueStates = new LiteDbQueueStateStore(database);
        parts.Locks = new LiteDbLockStore(database);
        parts.RateLimits = new LiteDbRateLimitStore(database);
        parts.Workers = new LiteDbWorkerStore(database);
        parts.Logs = new LiteDbJobLogStore(database);
        parts.Schedules = new LiteDbScheduleStore(database);
        return parts;
    }
}
