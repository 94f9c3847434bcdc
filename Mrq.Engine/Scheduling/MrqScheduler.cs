using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Storage;

namespace Mrq.Scheduling;

/// <summary>
/// MRQ's scheduler (mrq/scheduler.py + the worker's <c>greenlet_scheduler</c>), run by a worker started with
/// <c>scheduler</c> every <c>scheduler_interval</c> seconds. Each tick takes the non-blocking lock
/// <c>schedulerlock</c> (<c>&lt;redis_prefix&gt;:schedulerlock</c> in Redis, as MRQ, with MRQ's time to live of
/// <c>scheduler_interval + 10</c> s; a lock inside the file on LiteDB) and, if it got it: on its first tick syncs the
/// configured entries into <c>mrq_scheduled_jobs</c> (deletes the stale hashes; missing ones are inserted on every tick), then
/// queues every due entry. Exactly one job per due tick even when the lock is lost (expired) mid-tick: an entry's
/// <c>datelastqueued</c> is moved to now with a compare-and-set before its job is queued, and only the scheduler whose
/// compare-and-set succeeded queues it (if queueing then fails, it moves <c>datelastqueued</c> back).
/// </summary>
internal sealed class MrqScheduler
{
    /// <summary>The lock's key (prefixed with <c>redis_prefix</c> by the Redis lock store).</summary>
    public const string LockKey = "schedulerlock";

    private static readonly TimeSpan s_lockMargin = TimeSpan.FromSeconds(10);

    private readonly IScheduleStore? _store;
    private readonly ILockStore _locks;
    private readonly string _storageName;
    private readonly IJobClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ScheduledTask> _hashes;
    private readonly TimeSpan _interval;
    private readonly string _token = Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, CronSchedule?> _crons = new(StringComparer.Ordinal);
    private bool _synced;

    /// <summary>The scheduler of a worker on <paramref name="storage"/>, with the options' entries and interval.</summary>
    public MrqScheduler(MrqStorage storage, IJobClient client, IOptions<MrqOptions> options, TimeProvider time, ILoggerFactory loggerFactory)
        : this(storage.Schedules, storage.Locks, storage.Capabilities.Name, client, options.Value, time, loggerFactory.CreateLogger(SchedulerLog.Category))
    {
    }

    /// <summary>A scheduler on a state store and a lock store (tests combine them freely).</summary>
    internal MrqScheduler(IScheduleStore? store, ILockStore locks, string storageName, IJobClient client, MrqOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _locks = locks;
        _storageName = storageName;
        _client = client;
        _time = time;
        _logger = logger;
        // Validated before a worker starts: hashes are unique.
        _hashes = options.SchedulerTasks.ToDictionary(ScheduleHash.Compute, StringComparer.Ordinal);
        _interval = TimeSpan.FromSeconds(options.SchedulerInterval);
    }

    /// <summary>The time between two ticks.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>
    /// Ticks now and then every <see cref="Interval"/> until <paramref name="cancellationToken"/> is cancelled. A
    /// failed tick (storage unreachable) is logged and the next one runs as planned.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            do
            {
                try
                {
                    await TickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    SchedulerLog.TickFailed(_logger, ex, _interval.TotalSeconds);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is stopping.
        }
    }

    /// <summary>
    /// One scheduler pass. Returns the number of jobs this scheduler queued (0 when another one holds the lock).
    /// </summary>
    /// <exception cref="InvalidOperationException">The storage keeps no scheduler state.</exception>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var store = _store
            ?? throw new InvalidOperationException($"The {_storageName} storage keeps no scheduler state (no IScheduleStore part): the scheduler cannot run on it.");
        if (!await _locks.TryAcquireAsync(LockKey, _token, _interval + s_lockMargin, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        try
        {
            var states = await store.ListAsync(cancellationToken).ConfigureAwait(false);
            // Stale entries are deleted on the first tick only, as MRQ does; missing ones are inserted on every tick,
            // so an entry another scheduler deleted (a Python MRQ scheduler cannot have cron entries in its config)
            // comes back on the next tick instead of staying dead until this worker restarts.
            states = await SyncAsync(store, states, deleteStale: !_synced, cancellationToken).ConfigureAwait(false);
            _synced = true;

            var queued = 0;
            foreach (var state in states)
            {
                queued += await RunDueAsync(store, state, cancellationToken).ConfigureAwait(false);
            }

            return queued;
        }
        finally
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Truncates to the millisecond, the precision every backend stores dates with, so compare-and-set compares equals.</summary>
    internal static DateTime ToMilliseconds(DateTime value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>The document MRQ's <c>sync_config_tasks</c> inserts for a new entry.</summary>
    internal static ScheduledJobState InitialState(ScheduledTask task, DateTime now)
    {
        var state = new ScheduledJobState
        {
            Hash = ScheduleHash.Compute(task),
            Path = task.Path,
            Params = task.Params?.DeepClone().AsObject(),
            Queue = task.Queue,
            Interval = task.Interval,
            Weekday = task.Weekday,
            Monthday = task.Monthday,
            DateLastQueued = DateTime.UnixEpoch,
        };
        if (task.Cron is not null)
        {
            // A new cron entry starts now (no run for its past). interval and monthday 0 keep a Python MRQ scheduler
            // on the same collection from failing on it (it reads interval) or queueing it (no month has day 0).
            return state with
            {
                Cron = task.Cron,
                TimeZone = task.TimeZone,
                Catchup = (task.Catchup ?? CronCatchup.Once).ToString().ToLowerInvariant(),
                Interval = 0,
                Monthday = 0,
                DateLastQueued = now,
            };
        }

        if (task.DailyTime is { } time)
        {
            // As MRQ: the time on today's date, a one-day interval, and no run today when the time has passed.
            var dailyTime = now.Date + time.ToTimeSpan();
            return state with
            {
                DailyTime = dailyTime,
                Interval = 86400,
                DateLastQueued = now.TimeOfDay > time.ToTimeSpan() ? now : DateTime.UnixEpoch,
            };
        }

        return state;
    }

    private async Task<IReadOnlyList<ScheduledJobState>> SyncAsync(IScheduleStore store, IReadOnlyList<ScheduledJobState> stored, bool deleteStale, CancellationToken cancellationToken)
    {
        var storedHashes = stored.Select(s => s.Hash).ToHashSet(StringComparer.Ordinal);
        var stale = deleteStale ? storedHashes.Where(h => !_hashes.ContainsKey(h)).ToList() : [];
        var missing = _hashes.Where(h => !storedHashes.Contains(h.Key)).Select(h => InitialState(h.Value, Now())).ToList();
        if (stale.Count == 0 && missing.Count == 0)
        {
            return stored;
        }

        if (stale.Count > 0)
        {
            await store.DeleteAsync(stale, cancellationToken).ConfigureAwait(false);
            foreach (var hash in stale)
            {
                SchedulerLog.Deleted(_logger, hash);
            }
        }

        if (missing.Count > 0)
        {
            await store.InsertMissingAsync(missing, cancellationToken).ConfigureAwait(false);
            foreach (var state in missing)
            {
                SchedulerLog.Added(_logger, state.Hash);
            }
        }

        return await store.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunDueAsync(IScheduleStore store, ScheduledJobState state, CancellationToken cancellationToken)
    {
        var now = Now();
        if (!TryCron(state, out var cron))
        {
            return 0;
        }

        var decision = ScheduleRules.Decide(state, now, _interval + s_lockMargin, cron);
        if (!decision.Advance || !await store.TryMarkQueuedAsync(state.Hash, state.DateLastQueued, now, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var queued = 0;
        try
        {
            for (; queued < decision.Jobs; queued++)
            {
                await _client.QueueJobAsync(state.Path, state.Params?.DeepClone().AsObject() ?? [], state.Queue, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (queued == 0 && ex is not OperationCanceledException)
        {
            // Nothing was queued: give the tick back, so this entry is due again on the next one.
            await store.TryMarkQueuedAsync(state.Hash, now, state.DateLastQueued, CancellationToken.None).ConfigureAwait(false);
            SchedulerLog.QueueFailed(_logger, ex, state.Hash);
            return 0;
        }

        if (queued > 0)
        {
            SchedulerLog.Queued(_logger, queued, state.Hash);
        }

        return queued;
    }

    /// <summary>The entry's cron schedule (null for MRQ's timing keys); false when a stored cron cannot be read.</summary>
    private bool TryCron(ScheduledJobState state, out CronSchedule? cron)
    {
        cron = null;
        if (state.Cron is null)
        {
            return true;
        }

        if (!_crons.TryGetValue(state.Hash, out cron))
        {
            try
            {
                cron = CronSchedule.Parse(state.Cron, state.TimeZone);
            }
            catch (FormatException ex)
            {
                SchedulerLog.Unreadable(_logger, state.Hash, ex.Message);
            }

            _crons[state.Hash] = cron;
        }

        return cron is not null;
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await _locks.ReleaseAsync(LockKey, _token, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MrqStorageException or TimeoutException)
        {
            // The lock expires on its own (scheduler_interval + 10 s); the next tick is not blocked for longer.
            SchedulerLog.TickFailed(_logger, ex, _interval.TotalSeconds);
        }
    }

    private DateTime Now() => ToMilliseconds(_time.GetUtcNow().UtcDateTime);
}
