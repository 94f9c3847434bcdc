using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// MRQ's <c>queuesize:&lt;queue&gt;</c> counters (no prefix): INCRBY/DECRBY with EXPIRE <c>queue_ttl</c>, all deltas of
/// one call in one MULTI.
/// </summary>
internal sealed class RedisQueueSizeCounter(RedisConnection connection, TimeSpan queueTtl) : IQueueSizeCounter
{
    public async ValueTask AdjustAsync(IReadOnlyDictionary<string, long> deltas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        cancellationToken.ThrowIfCancellationRequested();
        if (!deltas.Any(d => d.Value != 0))
        {
            return;
        }

        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var transaction = db.CreateTransaction();
        var writes = new List<Task>(deltas.Count * 2);
        foreach (var (queue, delta) in deltas)
        {
            if (delta == 0)
            {
                continue;
            }

            var key = RedisKeys.QueueSize(queue);
            writes.Add(delta > 0 ? transaction.StringIncrementAsync(key, delta) : transaction.StringDecrementAsync(key, -delta));
            writes.Add(transaction.KeyExpireAsync(key, queueTtl));
        }

        await transaction.ExecuteAsync().ConfigureAwait(false);
        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    public async ValueTask<long> GetAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var value = await db.StringGetAsync(RedisKeys.QueueSize(queue)).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }
}
