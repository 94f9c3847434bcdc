using System.Globalization;
using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// redis-py 2.10 Lock semantics on <c>P:&lt;key&gt;</c> (max_concurrency uses <c>c:&lt;task path&gt;</c>): acquire is
/// <c>SET key token NX PX ms</c>, release the compare-and-delete Lua, so Python MRQ workers and ours exclude each other.
/// </summary>
internal sealed class RedisLockStore(RedisConnection connection, RedisKeys keys) : ILockStore
{
    public async ValueTask<bool> TryAcquireAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var milliseconds = CheckedMilliseconds(key, token, ttl, cancellationToken);
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.ExecuteAsync(
            "SET",
            [keys.Lock(key), token, "NX", "PX", milliseconds.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        return !result.IsNull;
    }

    public async ValueTask<bool> ReleaseAsync(string key, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(RedisScripts.LockRelease, [keys.Lock(key)], [token]).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async ValueTask<bool> ExtendAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var milliseconds = CheckedMilliseconds(key, token, ttl, cancellationToken);
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(RedisScripts.LockExtend, [keys.Lock(key)], [token, milliseconds]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>The time to live in milliseconds, after checking the arguments every timed call shares.</summary>
    private static long CheckedMilliseconds(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        var milliseconds = (long)ttl.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(milliseconds, nameof(ttl));
        cancellationToken.ThrowIfCancellationRequested();
        return milliseconds;
    }
}
