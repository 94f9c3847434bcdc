using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

/// <summary>
/// The MongoDB backend: jobs (<c>mrq_jobs</c>), worker reports (<c>mrq_workers</c>) and job logs (<c>mrq_logs</c>)
/// in MRQ's exact document shapes, so C# and Python MRQ workers can share one database. Raw queues, counters,
/// locks, rate limits and notifications come from another backend (Redis).
/// </summary>
public static class MongoStorage
{
    /// <summary>The backend name reported in <see cref="StorageCapabilities.Name"/>.</summary>
    public const string Name = "mongodb";

    /// <summary>
    /// Sets <see cref="MrqStorageParts.Capabilities"/>, <see cref="MrqStorageParts.Jobs"/>,
    /// <see cref="MrqStorageParts.Workers"/> and <see cref="MrqStorageParts.Logs"/> to MongoDB implementations sharing
    /// one client, which the storage owns: it is pinged (and the indexes created when
    /// <see cref="MongoStorageOptions.EnsureIndexes"/>) when the storage initializes, and disposed with it. Nothing
    /// connects here.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="MrqStorageException">The URL is not a valid MongoDB connection string (the message never contains
    /// its password), or the write concern is not valid or is <c>w=0</c>.</exception>
    public static MrqStorageParts AddTo(MrqStorageParts parts, MongoStorageOptions options) => AddTo(parts, options, logger: null);

    /// <summary>
    /// As <see cref="AddTo(MrqStorageParts, MongoStorageOptions)"/>, with a logger for what the storage keeps going
    /// through: an existing index with other options than MRQ's, a job document it cannot read in a listing.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="MrqStorageException">The URL is not a valid MongoDB connection string, or the write concern is
    /// not valid or is <c>w=0</c>.</exception>
    public static MrqStorageParts AddTo(MrqStorageParts parts, MongoStorageOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            throw new ArgumentException("The MongoDB URL is empty.", nameof(options));
        }

        ValidateServerIndependent(options);
        if (options.SocketTimeout <= TimeSpan.Zero || options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The MongoDB socket and connect timeouts must be positive.", nameof(options));
        }

        return Register(parts, new MongoConnection(options, logger: logger), logger);
    }

    /// <summary>
    /// As <see cref="AddTo(MrqStorageParts, MongoStorageOptions, ILogger)"/>, over the application's own
    /// <paramref name="database"/>: its client's settings apply as they are (the options' URL and timeouts are not
    /// used), and the client is not disposed with the storage: it stays the application's to dispose, after Mrq.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="MrqStorageException">The write concern is not valid or is <c>w=0</c>.</exception>
    public static MrqStorageParts AddTo(MrqStorageParts parts, IMongoDatabase database, MongoStorageOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ValidateServerIndependent(options);
        return Register(parts, new MongoConnection(database, options, logger), logger);
    }

    /// <summary>The checks of options that apply whether Mrq builds the client or the application supplies it.</summary>
    private static void ValidateServerIndependent(MongoStorageOptions options)
    {
        if (options.StartupTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The MongoDB startup timeout must be positive.", nameof(options));
        }

        if (options.LogsCappedSize <= 0)
        {
            throw new ArgumentException("The MongoDB mrq_logs capped size must be positive.", nameof(options));
        }
    }

    private static MrqStorageParts Register(MrqStorageParts parts, MongoConnection connection, ILogger? logger)
    {
        parts.Own(connection);
        parts.Capabilities = new StorageCapabilities(Name, Durable: true, SharedAcrossProcesses: true);
        parts.Jobs = new MongoJobStore(connection.Jobs, logger);
        parts.Workers = new MongoWorkerStore(connection.Workers);
        parts.Logs = new MongoJobLogStore(connection.Logs);
        parts.Schedules = new MongoScheduleStore(connection.Database.GetCollection<MongoDB.Bson.BsonDocument>(MongoScheduleStore.CollectionName, connection.Jobs.Settings));
        return parts;
    }
}
