namespace Mrq.Storage.Mongo;

/// <summary>Options of the MongoDB storage (MRQ's <c>mongodb_jobs</c>).</summary>
public sealed class MongoStorageOptions
{
    /// <summary>The default URL, MRQ's <c>mongodb_jobs</c> default.</summary>
    public const string DefaultUrl = "mongodb://127.0.0.1:27017/mrq";

    /// <summary>The database used when the URL names none.</summary>
    public const string DefaultDatabase = "mrq";

    /// <summary>
    /// The MongoDB connection string (MRQ's <c>mongodb_jobs</c>); the database is the URL's path, <c>mrq</c> when it
    /// has none. Default <see cref="DefaultUrl"/>.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>
    /// Creates MRQ's indexes on <c>mrq_jobs</c>, <c>mrq_workers</c> and <c>mrq_logs</c> when the storage initializes
    /// (MRQ's <c>--ensure_indexes</c>). Default true.
    /// </summary>
    public bool EnsureIndexes { get; set; } = true;

    /// <summary>How long initialization waits for the server to answer a ping before failing. Default 5 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
