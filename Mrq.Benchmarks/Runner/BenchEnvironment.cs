using MongoDB.Driver;
using StackExchange.Redis;

namespace Mrq.Benchmarks.Runner;

/// <summary>
/// What every run shares: the options, unique names per run (LiteDB files, Redis prefixes, Mongo databases), and
/// admin connections used only to clean up between runs (never inside a timed section).
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private int _runs;
    private ConnectionMultiplexer? _redis;
    private MongoClient? _mongo;

    public BenchEnvironment(RunnerOptions options)
    {
        Options = options;
        Directory.CreateDirectory(options.TempDirectory);
    }

    public RunnerOptions Options { get; }

    /// <summary>A new run number, for unique names.</summary>
    public int NextRun() => Interlocked.Increment(ref _runs);

    /// <summary>A new file path in the temp directory.</summary>
    public string TempFile(string name) => Path.Combine(Options.TempDirectory, name);

    /// <summary>host:port of the Redis URL, for plain StackExchange.Redis connections.</summary>
    public string RedisEndpoint
    {
        get
        {
            var uri = new Uri(Options.RedisUrl);
            return $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}";
        }
    }

    /// <summary>The database number in the Redis URL path (0 when none).</summary>
    public int RedisDatabase
    {
        get
        {
            var path = new Uri(Options.RedisUrl).AbsolutePath.Trim('/');
            return int.TryParse(path, out var db) ? db : 0;
        }
    }

    /// <summary>The admin Redis connection (cleanup only).</summary>
    public async Task<IDatabase> RedisAdminAsync()
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync($"{RedisEndpoint},abortConnect=false,allowAdmin=true").ConfigureAwait(false);
        return _redis.GetDatabase(RedisDatabase);
    }

    /// <summary>
    /// The admin Mongo client (server info and cleanup), open for the whole run. It polls the server every 10 s instead
    /// of streaming its state: the MongoDB-wire emulator answers streaming hellos at once, so the driver's monitor
    /// loop would keep it at a quarter of a core and slow every other section down.
    /// </summary>
    public MongoClient MongoAdmin => _mongo ??= new MongoClient(AdminSettings(Options.MongoUrl));

    private static MongoClientSettings AdminSettings(string url)
    {
        var settings = MongoClientSettings.FromConnectionString(url);
        settings.ServerMonitoringMode = MongoDB.Driver.Core.Servers.ServerMonitoringMode.Poll;
        return settings;
    }

    /// <summary>Deletes every Redis key matching <paramref name="pattern"/> (SCAN + UNLINK): only keys this run created.</summary>
    public async Task DeleteRedisKeysAsync(string pattern)
    {
        var db = await RedisAdminAsync().ConfigureAwait(false);
        var server = _redis!.GetServers()[0];
        var batch = new List<RedisKey>(1000);
        await foreach (var key in server.KeysAsync(RedisDatabase, pattern, 1000).ConfigureAwait(false))
        {
            batch.Add(key);
            if (batch.Count == 1000)
            {
                await db.KeyDeleteAsync(batch.ToArray()).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await db.KeyDeleteAsync(batch.ToArray()).ConfigureAwait(false);
        }
    }

    /// <summary>Drops a Mongo database this run created.</summary>
    public Task DropMongoDatabaseAsync(string name) => MongoAdmin.DropDatabaseAsync(name);

    /// <summary>Deletes a file and the side files LiteDB / SQLite keep beside it.</summary>
    public static void DeleteWithSideFiles(string path)
    {
        var dir = Path.GetDirectoryName(path)!;
        var stem = Path.GetFileNameWithoutExtension(path);
        var ext = Path.GetExtension(path);
        foreach (var candidate in new[] { path, path + "-lock", path + "-wal", path + "-shm", path + "-journal", Path.Combine(dir, stem + "-log" + ext) })
        {
            try
            {
                File.Delete(candidate);
            }
            catch (IOException)
            {
                // Best effort: the temp directory is removed at the end anyway.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }

        _mongo?.Dispose();
        if (!Options.OwnsTempDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(Options.TempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
