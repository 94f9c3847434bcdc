namespace Mrq.Storage.Redis;

/// <summary>The Lua scripts MRQ registers (mrq/redishelpers.py and redis-py 2.10's lock), with the same arguments.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// <c>zpopbyscore</c>: KEYS[1] = zset; ARGV = min, max, offset, count. Pops the due members (lowest scores first):
    /// they are exactly the lowest ranks, so they are removed by rank.
    /// </summary>
    public const string ZPopByScore = """
        local zset = KEYS[1]
        local min = ARGV[1]
        local max = ARGV[2]
        local offset = ARGV[3]
        local count = ARGV[4]

        local data = redis.call('zrangebyscore', zset, min, max, 'LIMIT', offset, count)
        if #data > 0 then
          redis.call('zremrangebyrank', zset, 0, #data - 1)
        end

        return data
        """;

    /// <summary>
    /// <c>zaddbyscore</c>: KEYS[1] = zset; ARGV = min, max, offset, count, score. Returns the due members and re-scores
    /// them to <c>score</c> (the pushback time) instead of removing them.
    /// </summary>
    public const string ZAddByScore = """
        local zset = KEYS[1]
        local min = ARGV[1]
        local max = ARGV[2]
        local offset = ARGV[3]
        local count = ARGV[4]
        local score = ARGV[5]

        local data = redis.call('zrangebyscore', zset, min, max, 'LIMIT', offset, count)
        for i, member in pairs(data) do
          redis.call('zadd', zset, score, member)
        end

        return data
        """;

    /// <summary>
    /// Forgets an empty subqueue: KEYS[1] = <c>P:ksq:&lt;root&gt;</c>, KEYS[2] = <c>P:q:&lt;subqueue&gt;</c>; ARGV[1] =
    /// the subqueue. SREMs it only while its queue key does not exist (Redis deletes an emptied list, set or zset),
    /// atomically, so a concurrent push is either seen here or SADDs the subqueue again after. Returns 1 when removed.
    /// </summary>
    public const string ForgetEmptySubqueue = """
        if redis.call('exists', KEYS[2]) == 1 then
          return 0
        end
        return redis.call('srem', KEYS[1], ARGV[1])
        """;

    /// <summary>redis-py's lock release: KEYS[1] = lock; ARGV[1] = token. Deletes the lock only while the token holds it.</summary>
    public const string LockRelease = """
        local token = redis.call('get', KEYS[1])
        if not token or token ~= ARGV[1] then
            return 0
        end
        redis.call('del', KEYS[1])
        return 1
        """;

    /// <summary>Compare-and-PEXPIRE: KEYS[1] = lock; ARGV[1] = token; ARGV[2] = ttl in ms. Extends the lock only while the token holds it.</summary>
    public const string LockExtend = """
        local token = redis.call('get', KEYS[1])
        if not token or token ~= ARGV[1] then
            return 0
        end
        return redis.call('pexpire', KEYS[1], ARGV[2])
        """;
}
