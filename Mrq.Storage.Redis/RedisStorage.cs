using Mrq.Storage;

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
        var connection = new RedisConnection(options);
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

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ConnectTimeout must be positive (is {options.ConnectTimeout}).", nameof(options));
        }

        return url;
    }
}
