using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>
/// A fresh, randomly named database on the test server (<c>MRQ_TEST_MONGO</c>, default CongoDB on 127.0.0.1:27117,
/// started by <c>node tools/mongo-wire/start-congo.mjs</c>), dropped on disposal. Creating one ignores the test
/// when no server answers.
/// </summary>
internal sealed class MongoTestDatabase : IAsyncDisposable
{
    public const string UrlVariable = "MRQ_TEST_MONGO";
    public const string DefaultUrl = "mongodb://127.0.0.1:27117/?directConnection=true";
    public const string EmulatorReason = "the MongoDB-wire test server is CongoDB (buildInfo.gitVersion \"congodb\"), which";

    private static readonly SemaphoreSlim s_probeLock = new(1, 1);
    private static (bool Reachable, bool IsEmulator, string Reason)? s_probe;

    private MongoTestDatabase(string url, string name, MongoConnection connection, bool isEmulator)
    {
        Url = url;
        Name = name;
        Connection = connection;
        IsEmulator = isEmulator;
    }

    /// <summary>The server URL with this database as its path.</summary>
    public string Url { get; }

    public string Name { get; }

    /// <summary>The storage's connection to this database (initialized, indexes created).</summary>
    public MongoConnection Connection { get; }

    /// <summary>True when the server is CongoDB (no TTL monitor, no unique indexes but _id, full scans).</summary>
    public bool IsEmulator { get; }

    public IMongoDatabase Raw => Connection.Database;

    public IMongoCollection<BsonDocument> RawJobs => Raw.GetCollection<BsonDocument>(MongoConnection.JobsCollection);

    public IMongoCollection<BsonDocument> RawWorkers => Raw.GetCollection<BsonDocument>(MongoConnection.WorkersCollection);

    public IMongoCollection<BsonDocument> RawLogs => Raw.GetCollection<BsonDocument>(MongoConnection.LogsCollection);

    public static string ServerUrl => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl;

    /// <summary>Creates a database, or ignores the current test when the server cannot be reached.</summary>
    public static async Task<MongoTestDatabase> CreateAsync(bool ensureIndexes = true, Action<MongoClientSettings>? configureClient = null)
    {
        var probe = await ProbeAsync();
        if (!probe.Reachable)
        {
            Mrq.Tests.Support.TestServers.Unavailable(probe.Reason);
        }

        var name = "mrqtest_" + Guid.NewGuid().ToString("N")[..16];
        var url = new MongoUrlBuilder(ServerUrl) { DatabaseName = name }.ToString();
        var connection = new MongoConnection(new MongoStorageOptions { Url = url, EnsureIndexes = ensureIndexes }, configureClient);
        try
        {
            await connection.InitializeAsync(CancellationToken.None);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new MongoTestDatabase(url, name, connection, probe.IsEmulator);
    }

    /// <summary>Ignores the current test on CongoDB, saying which missing feature it needs.</summary>
    public void IgnoreOnEmulator(string lacks)
    {
        if (IsEmulator)
        {
            Assert.Ignore($"{EmulatorReason} {lacks}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connection.Database.Client.DropDatabaseAsync(Name);
        }
        finally
        {
            Connection.Dispose();
        }
    }

    private static async Task<(bool Reachable, bool IsEmulator, string Reason)> ProbeAsync()
    {
        await s_probeLock.WaitAsync();
        try
        {
            if (s_probe is { } known)
            {
                return known;
            }

            var settings = MongoClientSettings.FromConnectionString(ServerUrl);
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(3);
            settings.ConnectTimeout = TimeSpan.FromSeconds(3);
            using var client = new MongoClient(settings);
            try
            {
                var admin = client.GetDatabase("admin");
                var info = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1));
                var isEmulator = info.TryGetValue("gitVersion", out var version) && version == "congodb";
                s_probe = (true, isEmulator, string.Empty);
            }
            catch (Exception ex) when (ex is TimeoutException or MongoException)
            {
                s_probe = (false, false,
                    $"No MongoDB server at {UrlVariable}={ServerUrl} ({ex.GetType().Name}). Start one with: node tools/mongo-wire/start-congo.mjs 27117");
            }

            return s_probe.Value;
        }
        finally
        {
            s_probeLock.Release();
        }
    }
}
