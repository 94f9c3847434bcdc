namespace Mrq.Storage.InMemory;

/// <summary>
/// A storage that lives in the process's memory: every SPI part (jobs, raw queues, paused queues, locks, rate limits,
/// worker reports, job logs), each part guarded by its own lock so every call is atomic. Nothing survives the
/// process and nothing is shared with other processes: for tests, demos and ephemeral work, and as the in-memory
/// opponent in benchmarks. Wake-ups use the engine's default in-process notifier.
/// </summary>
public static class InMemoryStorage
{
    /// <summary>The capabilities the in-memory storage declares.</summary>
    public static StorageCapabilities Capabilities { get; } = new("in-memory", Durable: false, SharedAcrossProcesses: false);

    /// <summary>
    /// Sets every part the in-memory storage supplies on <paramref name="parts"/> (replacing what an earlier backend
    /// set), leaving the notifier and the optional queue size counter alone.
    /// </summary>
    /// <param name="parts">The parts being collected.</param>
    /// <param name="time">The clock lock expiry is measured with; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns><paramref name="parts"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> is null.</exception>
    public static MrqStorageParts AddTo(MrqStorageParts parts, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        parts.Capabilities = Capabilities;
        parts.Jobs = new InMemoryJobStore();
        parts.RawQueues = new InMemoryRawQueueStore();
        parts.QueueStates = new InMemoryQueueStateStore();
        parts.Locks = new InMemoryLockStore(time ?? TimeProvider.System);
        parts.RateLimits = new InMemoryRateLimitStore();
        parts.Workers = new InMemoryWorkerStore();
        parts.Logs = new InMemoryJobLogStore();
        parts.Schedules = new InMemoryScheduleStore();
        return parts;
    }
}
