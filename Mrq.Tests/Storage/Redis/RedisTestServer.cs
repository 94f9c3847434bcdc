using Mrq.Storage.Redis;
using NUnit.Framework;
using StackExchange.Redis;

namespace Mrq.Tests.Storage.Redis;

/// <summary>
/// A random key prefix on the test server (<c>MRQ_TEST_REDIS</c>, default <c>redis://127.0.0.1:6390</c>) with an
/// initialized storage connection and a raw connection for inspecting keys. Disposal deletes the prefix's keys and
/// the unprefixed <c>queuesize:</c>/<c>ratelimit:</c> keys whose names start with <see cref="Prefix"/>, and nothing
/// else, so tests and other users of the server stay independent. Creating one ignores the test when no server answers.
/// </summary>
internal sealed class RedisTestServer : IAsyncDisposable
{
    public const string UrlVariable = "MRQ_TEST_REDIS";
    public const string DefaultUrl = "redis://127.0.0.1:6390";

    private static readonly SemaphoreSlim s_probeLock = new(1, 1);
    private static string? s_unreachable;
    private static bool s_probed;

    private RedisTestServer(string prefix, RedisStorageOptions options, RedisConnection connection, ConnectionMultiplexer raw)
    {
        Prefix = prefix;
        Options = options;
        Connection = connection;
        RawConnection = raw;
        Keys = new RedisKeys(prefix);
    }

    public static string ServerUrl => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl;

    /// <summary>The random <c>redis_prefix</c> of this test, also used to start unprefixed test key names.</summary>
    public string Prefix { get; }

    public RedisStorageOptions Options { get; }

    /// <summary>The storage's connection (initialized).</summary>
    public RedisConnection Connection { get; }

    public RedisKeys Keys { get; }

    /// <summary>A separate plain connection for looking at keys the way another MRQ process would.</summary>
    public ConnectionMultiplexer RawConnection { get; }

    public IDatabase Raw => RawConnection.GetDatabase(RedisUrl.Parse(ServerUrl, "url").Database);

    /// <summary>Creates a prefix and connection, or ignores the current test when the server cannot be reached.</summary>
    public static async Task<RedisTestServer> CreateAsync(Action<RedisStorageOptions>? configure = null)
    {
        await IgnoreIfUnreachableAsync();
        var prefix = "mrqtest-" + Guid.NewGuid().ToString("N")[..12];
        var options = new RedisStorageOptions { Url = ServerUrl, Prefix = prefix };
        configure?.Invoke(options);
        var connection = new RedisConnection(options);
        ConnectionMultiplexer? raw = null;
        try
        {
            await connection.InitializeAsync(CancellationToken.None);
            raw = await ConnectionMultiplexer.ConnectAsync(RawConfiguration());
            return new RedisTestServer(prefix, options, connection, raw);
        }
        catch
        {
            await connection.DisposeAsync();
            if (raw is not null)
            {
                await raw.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Ignores the current test when the test server does not answer.</summary>
    public static async Task IgnoreIfUnreachableAsync()
    {
        await s_probeLock.WaitAsync();
        try
        {
            if (!s_probed)
            {
                try
                {
                    await using var probe = await ConnectionMultiplexer.ConnectAsync(RawConfiguration());
                    await probe.GetDatabase().PingAsync();
                }
                catch (Exception ex) when (ex is RedisException or ArgumentException)
                {
                    s_unreachable = $"Redis not reachable at {UrlVariable}={RedisUrl.Redact(ServerUrl)} ({ex.GetType().Name}). "
                        + "Start one with: redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes";
                }

                s_probed = true;
            }
        }
        finally
        {
            s_probeLock.Release();
        }

        if (s_unreachable is { } reason)
        {
            Mrq.Tests.Support.TestServers.Unavailable(reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var server = RawConnection.GetServers()[0];
            var db = Raw;
            var database = RedisUrl.Parse(ServerUrl, "url").Database;
            foreach (var pattern in new[] { Prefix + ":*", "queuesize:" + Prefix + "*", "ratelimit:" + Prefix + "*" })
            {
                var keys = new List<RedisKey>();
                await foreach (var key in server.KeysAsync(database, pattern, pageSize: 500))
                {
                    keys.Add(key);
                }

                if (keys.Count > 0)
                {
                    await db.KeyDeleteAsync([.. keys]);
                }
            }
        }
        finally
        {
            await Connection.DisposeAsync();
            await RawConnection.DisposeAsync();
        }
    }

    private static ConfigurationOptions RawConfiguration()
    {
        var configuration = RedisUrl.Parse(ServerUrl, "url").ToConfiguration(TimeSpan.FromSeconds(3));
        configuration.ConnectRetry = 1;
        configuration.AllowAdmin = true; // CLIENT LIST, to see blocked clients
        return configuration;
    }
}
