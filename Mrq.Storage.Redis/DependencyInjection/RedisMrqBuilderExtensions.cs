using Mrq.DependencyInjection;
using StackExchange.Redis;
using Mrq.Storage.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the Redis storage parts inside <c>services.AddMrq(b => b.UseMongo(…).UseRedis(…))</c>.</summary>
public static class RedisMrqBuilderExtensions
{
    /// <summary>
    /// Takes raw queues, queuesize counters, the paused set, notify lists, locks and rate limits from Redis in MRQ's
    /// key layout, with the default prefix <c>mrq</c>.
    /// </summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <param name="url">MRQ's <c>redis</c> setting: <c>redis://[:password@]host[:port][/db]</c>, or <c>rediss://</c> for TLS.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The URL is malformed (the message never shows the password).</exception>
    public static IMrqBuilder UseRedis(this IMrqBuilder builder, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return builder.UseRedis(options => options.Url = url);
    }

    /// <summary>
    /// Takes raw queues, queuesize counters, the paused set, notify lists, locks and rate limits from Redis in MRQ's
    /// key layout, configured by <paramref name="configure"/>. The options are checked here; the connection opens
    /// when the storage is initialized.
    /// </summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <param name="configure">Sets the URL, prefix and the other <see cref="RedisStorageOptions"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the message never shows the password).</exception>
    public static IMrqBuilder UseRedis(this IMrqBuilder builder, Action<RedisStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RedisStorageOptions();
        configure(options);
        RedisStorage.Validate(options);
        return builder.ConfigureStorage((_, parts) => RedisStorage.AddTo(parts, options));
    }

    /// <summary>
    /// Takes raw queues, queuesize counters, the paused set, notify lists, locks and rate limits from the
    /// application's own <paramref name="multiplexer"/> (its configuration's default database), in MRQ's key layout.
    /// Mrq never disposes this multiplexer: it stays the application's, to dispose after the host (and Mrq) stopped.
    /// Blocking waits (BLPOP) open their own short-lived connections from its <c>Configuration</c> string.
    /// </summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <param name="multiplexer">The application's StackExchange.Redis connection.</param>
    /// <param name="configure">Sets the prefix and the other <see cref="RedisStorageOptions"/>; the URL, connect timeout and <c>ConfigureConnection</c> are not used.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static IMrqBuilder UseRedis(this IMrqBuilder builder, IConnectionMultiplexer multiplexer, Action<RedisStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(multiplexer);
        var options = new RedisStorageOptions();
        configure?.Invoke(options);
        RedisStorage.ValidateServerIndependent(options);
        return builder.ConfigureStorage((_, parts) => RedisStorage.AddTo(parts, multiplexer, options));
    }
}
