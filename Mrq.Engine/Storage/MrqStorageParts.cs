namespace Mrq.Storage;

/// <summary>
/// Collects storage parts from one or more backends (<c>UseLiteDb</c>, or <c>UseMongo</c> + <c>UseRedis</c>) and
/// builds the <see cref="MrqStorage"/>. A later backend replaces the parts it sets.
/// </summary>
public sealed class MrqStorageParts
{
    private readonly List<object> _owned = [];

    /// <summary>What the storage supplies (the job store's backend decides durability).</summary>
    public StorageCapabilities? Capabilities { get; set; }

    /// <summary>Regular-queue jobs.</summary>
    public IJobStore? Jobs { get; set; }

    /// <summary>Raw queues.</summary>
    public IRawQueueStore? RawQueues { get; set; }

    /// <summary>Paused queues.</summary>
    public IQueueStateStore? QueueStates { get; set; }

    /// <summary>Worker wake-ups; defaults to an in-process notifier.</summary>
    public IJobNotifier? Notifier { get; set; }

    /// <summary>max_concurrency locks.</summary>
    public ILockStore? Locks { get; set; }

    /// <summary>Rate limit counters.</summary>
    public IRateLimitStore? RateLimits { get; set; }

    /// <summary>Worker reports.</summary>
    public IWorkerStore? Workers { get; set; }

    /// <summary>Job logs.</summary>
    public IJobLogStore? Logs { get; set; }

    /// <summary>queuesize counters (optional).</summary>
    public IQueueSizeCounter? SizeCounter { get; set; }

    /// <summary>The scheduler's state, <c>mrq_scheduled_jobs</c> (optional: without it the scheduler cannot run).</summary>
    public IScheduleStore? Schedules { get; set; }

    /// <summary>
    /// Hands an object to the storage: it is initialized (if <see cref="IStorageInitializer"/>) and disposed with the
    /// storage. Register each connection or database object once, before the parts that use it.
    /// </summary>
    public MrqStorageParts Own(object resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!_owned.Contains(resource))
        {
            _owned.Add(resource);
        }

        return this;
    }

    /// <summary>Builds the storage.</summary>
    /// <exception cref="InvalidOperationException">A required part is missing; the message lists which.</exception>
    public MrqStorage Build()
    {
        Notifier ??= (IJobNotifier)Own(new InProcessJobNotifier())._owned[^1];
        var missing = new List<string>();
        if (Capabilities is null) missing.Add(nameof(Capabilities));
        if (Jobs is null) missing.Add(nameof(Jobs));
        if (RawQueues is null) missing.Add(nameof(RawQueues));
        if (QueueStates is null) missing.Add(nameof(QueueStates));
        if (Locks is null) missing.Add(nameof(Locks));
        if (RateLimits is null) missing.Add(nameof(RateLimits));
        if (Workers is null) missing.Add(nameof(Workers));
        if (Logs is null) missing.Add(nameof(Logs));
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Mrq storage is incomplete: no {string.Join(", ", missing)}. Configure a backend, e.g. UseLiteDb(\"jobs.db\"), or UseMongo(...) with UseRedis(...).");
        }

        return new MrqStorage(this, _owned.ToArray());
    }
}
