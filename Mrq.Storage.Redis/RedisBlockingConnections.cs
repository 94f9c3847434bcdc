using System.Globalization;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// Dedicated connections for BLPOP. StackExchange.Redis pipelines every caller over one socket, so a blocking command
/// on the shared multiplexer would stall all other commands until it returns. Each waiter therefore rents a
/// multiplexer of its own (one interactive socket, no subscription socket) for the duration of one BLPOP; idle ones
/// are kept for reuse. The real BLPOP on MRQ's notify lists is what keeps Python MRQ workers and ours on the same
/// wake-up protocol.
/// </summary>
internal sealed class RedisBlockingConnections : IAsyncDisposable
{
    /// <summary>The longest single BLPOP; longer waits loop. Bounds how long a silent server can hold a connection.</summary>
    public const int MaxBlockSeconds = 60;

    /// <summary>How long past its own timeout a BLPOP may take before its connection is deemed dead and closed.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private const int MaxIdle = 8;

    private readonly RedisConnection _owner;
    private readonly ConfigurationOptions _configuration;
    private readonly Lock _gate = new();
    private readonly Stack<ConnectionMultiplexer> _idle = new();
    private readonly HashSet<ConnectionMultiplexer> _all = [];
    private bool _disposed;

    public RedisBlockingConnections(RedisConnection owner, ConfigurationOptions shared)
    {
        _owner = owner;
        _configuration = shared.Clone();

        // Fail fast when the server is down (the next wait simply tries again), never abort a BLPOP before its own
        // timeout, and skip the subscription socket nobody uses here.
        _configuration.AbortOnConnectFail = true;
        _configuration.AsyncTimeout = (int)(TimeSpan.FromSeconds(MaxBlockSeconds) + Grace).TotalMilliseconds;
        _configuration.CommandMap = CommandMap.Create(["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"], available: false);
    }

    /// <summary>
    /// Runs <c>BLPOP key… seconds</c> on a dedicated connection.
    /// </summary>
    /// <returns>True when an element was popped, false on the server-side timeout.</returns>
    /// <exception cref="Mrq.Storage.MrqStorageException">The server cannot be reached or did not answer in time.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed (a BLPOP in flight fails at once).</exception>
    public async ValueTask<bool> LeftPopAsync(RedisKey[] keys, int seconds, CancellationToken cancellationToken)
    {
        seconds = Math.Clamp(seconds, 1, MaxBlockSeconds);
        var multiplexer = await RentAsync(cancellationToken).ConfigureAwait(false);
        var args = new object[keys.Length + 1];
        for (var i = 0; i < keys.Length; i++)
        {
            args[i] = keys[i];
        }

        args[^1] = seconds.ToString(CultureInfo.InvariantCulture);
        var pending = multiplexer.GetDatabase().ExecuteAsync("BLPOP", args);

        // The connection is busy until the server answers, even if this caller stops waiting (cancellation): only
        // then does it go back to the pool, or get closed when the command failed.
        _ = ReturnWhenDoneAsync(multiplexer, pending);
        try
        {
            var result = await pending.WaitAsync(TimeSpan.FromSeconds(seconds) + Grace, cancellationToken).ConfigureAwait(false);
            return !result.IsNull;
        }
        catch (TimeoutException ex)
        {
            await DiscardAsync(multiplexer).ConfigureAwait(false);
            throw _owner.Failure($"did not answer a {seconds} s BLPOP within {(TimeSpan.FromSeconds(seconds) + Grace).TotalSeconds:0} s", ex);
        }
        catch (RedisException ex)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException("The Redis storage was disposed while waiting.", ex);
                }
            }

            throw _owner.Failure("failed a BLPOP", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer[] all;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            all = [.. _all];
            _all.Clear();
            _idle.Clear();
        }

        foreach (var multiplexer in all)
        {
            await CloseAsync(multiplexer).ConfigureAwait(false);
        }
    }

    private async ValueTask<ConnectionMultiplexer> RentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ConnectionMultiplexer? idle = null;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _idle.TryPop(out idle);
            }

            if (idle is null)
            {
                break;
            }

            if (idle.IsConnected)
            {
                return idle;
            }

            // Its socket dropped while idle: a fresh connection fails fast if the server is still down, instead of
            // parking the BLPOP in a backlog.
            await DiscardAsync(idle).ConfigureAwait(false);
        }

        var created = await _owner.ConnectAsync(_configuration, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_disposed)
            {
                _all.Add(created);
                return created;
            }
        }

        await CloseAsync(created).ConfigureAwait(false);
        throw new ObjectDisposedException(nameof(RedisBlockingConnections));
    }

    private async Task ReturnWhenDoneAsync(ConnectionMultiplexer multiplexer, Task<RedisResult> pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception)
        {
            await DiscardAsync(multiplexer).ConfigureAwait(false);
            return;
        }

        lock (_gate)
        {
            if (!_disposed && _all.Contains(multiplexer) && _idle.Count < MaxIdle)
            {
                _idle.Push(multiplexer);
                return;
            }
        }

        await DiscardAsync(multiplexer).ConfigureAwait(false);
    }

    private async ValueTask DiscardAsync(ConnectionMultiplexer multiplexer)
    {
        lock (_gate)
        {
            _all.Remove(multiplexer);
        }

        await CloseAsync(multiplexer).ConfigureAwait(false);
    }

    /// <summary>Closes at once: a BLPOP in flight fails now instead of holding the close until its timeout.</summary>
    private static async ValueTask CloseAsync(ConnectionMultiplexer multiplexer)
    {
        await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await multiplexer.DisposeAsync().ConfigureAwait(false);
    }
}
