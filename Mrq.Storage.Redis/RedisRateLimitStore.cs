using Mrq.Storage;

namespace Mrq.Storage.Redis;

/// <summary>MRQ's rate limit windows: <c>ratelimit:&lt;key&gt;:&lt;int(now)//per&gt;</c> (no prefix), MULTI INCR + EXPIRE per+10.</summary>
internal sealed class RedisRateLimitStore(RedisConnection connection) : IRateLimitStore
{
    public async ValueTask<long> IncrementAsync(string key, int per, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(per);
        cancellationToken.ThrowIfCancellationRequested();
        var window = (long)Math.Floor(RedisTime.UnixSeconds(now)) / per;
        var redisKey = RedisKeys.RateLimit(key, window);
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var transaction = db.CreateTransaction();
        var count = transaction.StringIncrementAsync(redisKey);
        var expire = transaction.KeyExpireAsync(redisKey, TimeSpan.FromSeconds(per + 10L));
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await expire.ConfigureAwait(false);
        return await count.ConfigureAwait(false);
    }
}
