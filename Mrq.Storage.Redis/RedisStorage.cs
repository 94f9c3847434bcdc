using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// Adds MRQ's Redis parts to a storage: raw queues, the paused set, queuesize counters, notify lists,
/// max_concurrency locks and rate limits, all on one shared connection in MRQ's exact key layout. Jobs, workers and
/// logs come from another backend (MongoDB in MRQ-compatible distributed mode).
/// </summary>
public static class RedisStorage
{
    /// <summary>
    /// Sets <see cref="MrqStorageParts.RawQueues"/>, <see cref="MrqStorageParts.QueueStates"/>,
    /// <see cref="MrqStorageParts.SizeCounter"/>, <see cref="MrqStorageParts.Notifier"/>,
    /// <see cref="MrqStorageParts.Locks"/> and <see cref="MrqStorageParts.RateLimits"/>, and hands the storage the
    /// connection, which connects in <see cref="MrqStorage.InitializeAsync"/> and closes with the storage. Nothing
    /// connects here.
    /// </summary>
    /// <returns><paramref name="parts"/>.</returns>
    /// <exception cref="ArgumentException">The options are invalid (e.g. a malformed URL); the message never shows the password.</exception>
    public static MrqStorageParts AddTo(MrqStorageParts parts, RedisStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(options);
        return Register(parts, new RedisConnection(options), options);
    }

    /// <summary>
    /// As <see cref="AddTo(MrqStorageParts, RedisStorageOptions)"/>, over the application's own
    /// <paramref name="multiplexer"/> (its database is its configuration's default one; the options' URL, connect
    /// timeout and <see cref="RedisStorageOptions.ConfigureConnection"/> are not used). The storage never disposes the
    /// multiplexer: it stays the application's, to dispose after Mrq. Blocking waits (BLPOP on the notify lists)
    /// cannot share a multiplexer, so they open short-lived connections from its <c>Configuration</c> string
    /// (callbacks such as certificate validation set in code are not part of it).
    /// </summary>
    /// <returns><paramref name="parts"/>.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static MrqStorageParts AddTo(MrqStorageParts parts, IConnectionMultiplexer multiplexer, RedisStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(multiplexer);
        ArgumentNullException.ThrowIfNull(options);
        return Register(parts, new RedisConnection(multiplexer, options), options);
    }

    private static MrqStorageParts Register(MrqStorageParts parts, RedisConnection connection, RedisStorageOptions options)
    {
        var keys = new RedisKeys(options.Prefix);
        parts.Own(connection);
        parts.RawQueues = new RedisRawQueueStore(connection, keys);
        parts.QueueStates = new RedisQueueStateStore(connection, keys);
        parts.SizeCounter = new RedisQueueSizeCounter(connection, options.QueueTtl);
        parts.Notifier = new RedisJobNotifier(connection, keys, options.MaxLatency);
        parts.Locks = new RedisLockStore(connection, keys);
        parts.RateLimits = new RedisRateLimitStore(connection);
        return parts;
    }

    /// <summary>Checks the options and parses the URL.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    internal static RedisUrl Validate(RedisStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = RedisUrl.Parse(options.Url, nameof(options));
        ValidateServerIndependent(options);
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ConnectTimeout must be positive (is {options.ConnectTimeout}).", nameof(options));
        }

        return url;
    }

    /// <summary>Checks the options that apply whether Mrq connects or the application supplies the connection.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    internal static void ValidateServerIndependent(RedisStorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Prefix) || options.Prefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"The Redis key prefix '{options.Prefix}' must be non-empty, without spaces or control characters.", nameof(options));
        }

        if (options.QueueTtl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"QueueTtl must be positive (is {options.QueueTtl}).", nameof(options));
        }

        if (options.MaxLatency < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxLatency must not be negative (is {options.MaxLatency}).", nameof(options));
        }
    }
}
