using System.Diagnostics;
using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// MRQ's notify lists <c>P:notify:&lt;root&gt;</c>: an enqueuer LPUSHes "1" × min(n, 100) and sets EXPIRE
/// max(1, int(2 × max_latency)); an idle worker BLPOPs the lists of its queues' roots for max(1, int(timeout)) seconds.
/// The BLPOP runs on a dedicated connection (<see cref="RedisBlockingConnections"/>), never the shared multiplexer.
/// A wait that cannot reach Redis sleeps out its timeout and returns false instead of throwing.
/// The push also trims the list to 100 signals in the same MULTI: while every worker is busy nobody BLPOPs and each
/// push refreshes the EXPIRE, so without the trim the list would grow with every enqueue.
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
        var trim = transaction.ListTrimAsync(key, 0, MaxSignals - 1);
        var expire = transaction.KeyExpireAsync(key, _expiry);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await Task.WhenAll(push, trim, expire).ConfigureAwait(false);
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
        var total = Math.Max(1, (long)timeout.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var remaining = total;
        while (true)
        {
            var seconds = (int)Math.Min(remaining, RedisBlockingConnections.MaxBlockSeconds);
            try
            {
                if (await connection.Blocking.LeftPopAsync(notifyKeys, seconds, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (MrqStorageException)
            {
                // A wake-up is only a hint: while Redis cannot be reached the caller falls back to polling every
                // timeout (as MRQ does for queues without notify), and its next storage call reports the outage.
                var left = TimeSpan.FromSeconds(total) - clock.Elapsed;
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, cancellationToken).ConfigureAwait(false);
                }

                return false;
            }

            remaining -= seconds;
            if (remaining <= 0)
            {
                return false;
            }
        }
    }
}
