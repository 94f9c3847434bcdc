using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// Options of the Redis storage parts (raw queues, queuesize counters, paused set, notify lists, locks, rate limits),
/// named after MRQ's settings.
/// </summary>
public sealed class RedisStorageOptions
{
    /// <summary>The default server URL, MRQ's <c>redis</c> default.</summary>
    public const string DefaultUrl = "redis://127.0.0.1:6379";

    /// <summary>The default key prefix, MRQ's <c>redis_prefix</c> default.</summary>
    public const string DefaultPrefix = "mrq";

    /// <summary>
    /// MRQ's <c>redis</c> setting: <c>redis://[[user]:password@]host[:port][/db]</c>, or <c>rediss://…</c> for TLS.
    /// The port defaults to 6379 and the database to 0; the password may be percent-encoded. A user info without a
    /// colon is taken as the password.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>
    /// MRQ's <c>redis_prefix</c>: prepended (with <c>:</c>) to the raw queue, known-subqueue, paused-set, notify and
    /// lock keys. The <c>queuesize:</c> and <c>ratelimit:</c> keys are never prefixed, as in MRQ.
    /// </summary>
    public string Prefix { get; set; } = DefaultPrefix;

    /// <summary>MRQ's <c>queue_ttl</c>: the expiry set on <c>queuesize:&lt;queue&gt;</c> at every change (default 1 day).</summary>
    public TimeSpan QueueTtl { get; set; } = TimeSpan.FromSeconds(86400);

    /// <summary>
    /// MRQ's <c>max_latency</c>: a notify list expires after <c>max(1, int(2 × max_latency))</c> seconds, so stale
    /// wake-ups do not pile up (default 1 s).
    /// </summary>
    public TimeSpan MaxLatency { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the first connect may take before start-up fails (default 5 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Advanced: adjusts the StackExchange.Redis configuration built from <see cref="Url"/> (e.g. TLS certificate
    /// validation) before connecting. Applied to every connection the storage opens.
    /// </summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }
}
