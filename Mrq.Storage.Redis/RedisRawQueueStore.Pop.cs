using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>List, sorted and timed set pops, listing and removal.</summary>
internal sealed partial class RedisRawQueueStore
{
    private const int ScanPageSize = 100;

    public async ValueTask<IReadOnlyList<RawQueueItem>> ListAsync(string queue, int skip, int limit, CancellationToken cancellationToken)
    {
        var type = RequireRaw(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        cancellationToken.ThrowIfCancellationRequested();
        if (limit <= 0)
        {
            return [];
        }

        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = keys.Queue(queue);
        long stop = (long)skip + limit - 1;
        switch (type)
        {
            case RawQueueType.List:
                return Items(await db.ListRangeAsync(key, skip, stop).ConfigureAwait(false));
            case RawQueueType.Set:
                return Items(await ScanSetAsync(db, key, skip, limit, cancellationToken).ConfigureAwait(false));
            default:
                var entries = await db.SortedSetRangeByRankWithScoresAsync(key, skip, stop).ConfigureAwait(false);
                return entries.Select(e => new RawQueueItem(RawMembers.Decode(e.Element), e.Score)).ToArray();
        }
    }

    public async ValueTask<long> RemoveAsync(string queue, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        var type = RequireRaw(queue);
        ArgumentNullException.ThrowIfNull(members);
        cancellationToken.ThrowIfCancellationRequested();
        if (members.Count == 0)
        {
            return 0;
        }

        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = keys.Queue(queue);
        var values = members.Select(RawMembers.Encode).ToArray();
        switch (type)
        {
            case RawQueueType.Set:
                return await db.SetRemoveAsync(key, values).ConfigureAwait(false);
            case RawQueueType.SortedSet or RawQueueType.TimedSet:
                return await db.SortedSetRemoveAsync(key, values).ConfigureAwait(false);
            default:
                // LREM key 0 member removes every copy; one MULTI for all members.
                var transaction = db.CreateTransaction();
                var removals = values.Distinct().Select(v => transaction.ListRemoveAsync(key, v, 0)).ToArray();
                await transaction.ExecuteAsync().ConfigureAwait(false);
                var total = 0L;
                foreach (var removal in removals)
                {
                    total += await removal.ConfigureAwait(false);
                }

                return total;
        }
    }

    /// <summary>
    /// A page of a set in SSCAN order, read in small cursor steps: never one command over the whole set (SORT would
    /// stall every client on a large set). A set has no order, so pages are stable only while the set is unchanged,
    /// like MRQ's SRANDMEMBER listing; members SSCAN repeats during a rehash are returned once.
    /// </summary>
    private static async Task<RedisValue[]> ScanSetAsync(IDatabase db, RedisKey key, int skip, int limit, CancellationToken cancellationToken)
    {
        var seen = new HashSet<RedisValue>();
        var page = new List<RedisValue>(Math.Min(limit, ScanPageSize));
        await foreach (var member in db.SetScanAsync(key, pageSize: ScanPageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!seen.Add(member) || seen.Count <= skip)
            {
                continue;
            }

            page.Add(member);
            if (page.Count == limit)
            {
                break;
            }
        }

        return [.. page];
    }

    /// <summary>
    /// <c>LPOP key count</c>; on a server older than 6.2, which refuses the count, MULTI LRANGE key 0 N-1,
    /// LTRIM key N -1, EXEC (the same atomic pop), and from then on only that.
    /// </summary>
    private async Task<RedisValue[]> PopListAsync(IDatabase db, RedisKey key, int maxCount)
    {
        if (_listPopCount)
        {
            try
            {
                return await db.ListLeftPopAsync(key, maxCount).ConfigureAwait(false) ?? [];
            }
            catch (RedisServerException e) when (IsCountRefused(e))
            {
                _listPopCount = false;
            }
        }

        var transaction = db.CreateTransaction();
        var range = transaction.ListRangeAsync(key, 0, maxCount - 1);
        var trim = transaction.ListTrimAsync(key, maxCount, -1);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await trim.ConfigureAwait(false);
        return await range.ConfigureAwait(false);
    }

    /// <summary>Redis before 6.2 answers <c>LPOP key count</c> with a wrong-number-of-arguments error.</summary>
    internal static bool IsCountRefused(RedisServerException error) =>
        error.Message.Contains("wrong number of arguments", StringComparison.OrdinalIgnoreCase);

    /// <summary>MRQ's <c>_sorted_set</c> pop: MULTI ZRANGE key 0 N-1, ZREMRANGEBYRANK key 0 N-1, EXEC.</summary>
    private static async Task<RedisValue[]> PopSortedAsync(IDatabase db, RedisKey key, int maxCount)
    {
        var transaction = db.CreateTransaction();
        var range = transaction.SortedSetRangeByRankAsync(key, 0, maxCount - 1);
        var remove = transaction.SortedSetRemoveRangeByRankAsync(key, 0, maxCount - 1);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await remove.ConfigureAwait(false);
        return await range.ConfigureAwait(false);
    }

    /// <summary>MRQ's <c>_timed_set</c> pop: the zpopbyscore Lua, or zaddbyscore at now + pushback when pushback is set.</summary>
    private static async Task<RedisValue[]> PopTimedAsync(IDatabase db, RedisKey key, int maxCount, double now, TimeSpan? pushback)
    {
        RedisKey[] scriptKeys = [key];
        RedisResult result;
        if (pushback is { } delay && delay > TimeSpan.Zero)
        {
            result = await db.ScriptEvaluateAsync(
                RedisScripts.ZAddByScore, scriptKeys, ["-inf", now, 0, maxCount, now + delay.TotalSeconds]).ConfigureAwait(false);
        }
        else
        {
            result = await db.ScriptEvaluateAsync(RedisScripts.ZPopByScore, scriptKeys, ["-inf", now, 0, maxCount]).ConfigureAwait(false);
        }

        return result.IsNull ? [] : (RedisValue[])result!;
    }

    private static RawQueueItem[] Items(RedisValue[] values)
    {
        var items = new RawQueueItem[values.Length];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new RawQueueItem(RawMembers.Decode(values[i]));
        }

        return items;
    }
}
