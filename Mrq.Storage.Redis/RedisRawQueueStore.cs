using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// MRQ's raw queues in Redis (mrq/queue_raw.py): <c>P:q:&lt;queue&gt;</c> is a LIST (<c>_raw</c>), SET (<c>_set</c>)
/// or ZSET (<c>_sorted_set</c>, <c>_timed_set</c>); pushing to a subqueue adds it to <c>P:ksq:&lt;root&gt;</c>.
/// Every call is one atomic Redis step (a single command, MULTI/EXEC, or one of MRQ's Lua scripts). Members are
/// carried byte for byte (<see cref="RawMembers"/>).
/// </summary>
/// <param name="connection">The shared connection.</param>
/// <param name="keys">The key layout.</param>
/// <param name="listPopCount">
/// False to pop <c>_raw</c> lists without <c>LPOP key count</c> from the start (tests); otherwise the store switches
/// by itself when the server refuses the count argument (Redis older than 6.2).
/// </param>
internal sealed partial class RedisRawQueueStore(RedisConnection connection, RedisKeys keys, bool listPopCount = true) : IRawQueueStore
{
    private volatile bool _listPopCount = listPopCount;

    public async ValueTask PushAsync(string queue, IReadOnlyList<RawQueueItem> items, DateTime now, CancellationToken cancellationToken)
    {
        var type = RequireRaw(queue);
        ArgumentNullException.ThrowIfNull(items);
        if (type == RawQueueType.SortedSet && items.Any(i => i.Score is null))
        {
            throw new ArgumentException($"Every member pushed to the sorted set '{queue}' needs a score.", nameof(items));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (items.Count == 0)
        {
            return;
        }

        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = keys.Queue(queue);
        var isSubqueue = queue.Contains('/', StringComparison.Ordinal);
        var transaction = isSubqueue ? db.CreateTransaction() : null;
        IDatabaseAsync target = transaction ?? (IDatabaseAsync)db;
        var push = type switch
        {
            RawQueueType.List => (Task)target.ListRightPushAsync(key, Values(items)),
            RawQueueType.Set => target.SetAddAsync(key, Values(items)),
            _ => target.SortedSetAddAsync(key, Entries(items, RedisTime.UnixSeconds(now))),
        };

        if (transaction is not null)
        {
            // MRQ: SADD P:ksq:<root> <queue> on every push to a subqueue; here in the same MULTI as the push.
            var known = transaction.SetAddAsync(keys.KnownSubqueues(queue), queue);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            await known.ConfigureAwait(false);
        }

        await push.ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<string>> PopAsync(
        string queue, int maxCount, DateTime now, TimeSpan? pushback, CancellationToken cancellationToken)
    {
        var type = RequireRaw(queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = keys.Queue(queue);
        var popped = type switch
        {
            RawQueueType.List => await PopListAsync(db, key, maxCount).ConfigureAwait(false),
            RawQueueType.Set => await db.SetPopAsync(key, maxCount).ConfigureAwait(false),
            RawQueueType.SortedSet => await PopSortedAsync(db, key, maxCount).ConfigureAwait(false),
            _ => await PopTimedAsync(db, key, maxCount, RedisTime.UnixSeconds(now), pushback).ConfigureAwait(false),
        };

        return Strings(popped);
    }

    public async ValueTask<long> SizeAsync(string queue, CancellationToken cancellationToken)
    {
        var type = RequireRaw(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = keys.Queue(queue);
        return type switch
        {
            RawQueueType.List => await db.ListLengthAsync(key).ConfigureAwait(false),
            RawQueueType.Set => await db.SetLengthAsync(key).ConfigureAwait(false),
            _ => await db.SortedSetLengthAsync(key).ConfigureAwait(false),
        };
    }

    public async ValueTask<IReadOnlyList<string>> KnownSubqueuesAsync(string rootQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rootQueue);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var members = await db.SetMembersAsync(keys.KnownSubqueues(rootQueue)).ConfigureAwait(false);
        var names = members.Select(m => m.ToString());
        return names.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// MRQ SREMs a subqueue found empty after its dequeue, in a separate command (its "TODO LUA this"), so a push
    /// in between could leave a subqueue with members unknown. Here one script checks and removes: Redis drops an
    /// empty LIST/SET/ZSET key, so a subqueue whose key exists holds members (due or not) and stays known; a push
    /// after the script SADDs it again in the push's MULTI.
    /// </summary>
    public async ValueTask<bool> ForgetSubqueueAsync(string rootQueue, string subqueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rootQueue);
        ArgumentNullException.ThrowIfNull(subqueue);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var removed = await db.ScriptEvaluateAsync(
            RedisScripts.ForgetEmptySubqueue, [keys.KnownSubqueues(rootQueue), keys.Queue(subqueue)], [subqueue]).ConfigureAwait(false);
        return (long)removed == 1;
    }

    private static RawQueueType RequireRaw(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var type = QueueNames.RawType(queue);
        return type == RawQueueType.None
            ? throw new ArgumentException($"'{queue}' is not a raw queue (its root name must end with _raw, _set, _sorted_set or _timed_set).", nameof(queue))
            : type;
    }

    private static RedisValue[] Values(IReadOnlyList<RawQueueItem> items)
    {
        var values = new RedisValue[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = RawMembers.Encode(items[i].Member);
        }

        return values;
    }

    private static SortedSetEntry[] Entries(IReadOnlyList<RawQueueItem> items, double now)
    {
        var entries = new SortedSetEntry[items.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new SortedSetEntry(RawMembers.Encode(items[i].Member), items[i].Score ?? now);
        }

        return entries;
    }

    private static string[] Strings(RedisValue[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return [];
        }

        var strings = new string[values.Length];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = RawMembers.Decode(values[i]);
        }

        return strings;
    }
}
