using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// MRQ's notify lists <c>P:notify:&lt;root&gt;</c>: an enqueuer LPUSHes "1" × min(n, 100) and sets EXPIRE
/// max(1, int(2 × max_latency)); an idle worker BLPOPs the lists of its queues' roots for max(1, int(timeout)) seconds.
/// The BLPOP runs on a dedicated connection (<see cref="RedisBlockingConnections"/>), never the shared multiplexer.
/// </summary>
internal sealed class RedisJobNotifier(RedisConnection connection, RedisKeys keys, TimeSpan maxLatency) : IJobNotifier
{
    private const int MaxSignals = 100;

    private readonly TimeSpan _expiry = TimeSpan.FromSeconds(Math.Max(1, (int)(2 * maxLatency.TotalSeconds)));

    public async ValueTask NotifyAsync(string queue, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        cancellationToken.ThrowIfCancellationRequested();
        if (count <= 0)
        {
            return;
        }

        var signals = new RedisValue[Math.Min(count, MaxSignals)];
        Array.Fill(signals, (RedisValue)"1");
        var key = keys.Notify(queue);
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var transaction = db.CreateTransaction();
        var push = transaction.ListLeftPushAsync(key, signals);
        var expire = transaction.KeyExpireAsync(key, _expiry);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await Task.WhenAll(push, expire).ConfigureAwait(false);
    }

    public async ValueTask<bool> WaitAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        cancellationToken.ThrowIfCancellationRequested();
        if (queues.Count == 0)
        {
            // Nothing can signal: MRQ sleeps max_latency instead.
            await Task.Delay(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var notifyKeys = queues.Select(keys.Notify).Distinct().ToArray();

        // MRQ blocks for max(1, int(max_latency)) whole seconds; a longer wait is cut into bounded BLPOPs.
        var remaining = Math.Max(1, (long)timeout.TotalSeconds);
        while (true)
        {
            var seconds = (int)Math.Min(remaining, RedisBlockingConnections.MaxBlockSeconds);
            if (await connection.Blocking.LeftPopAsync(notifyKeys, seconds, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            remaining -= seconds;
            if (remaining <= 0)
            {
                return false;
            }
        }
    }
}
