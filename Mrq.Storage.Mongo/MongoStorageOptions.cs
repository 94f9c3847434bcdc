namespace Mrq.Storage.Mongo;

/// <summary>Options of the MongoDB storage (MRQ's <c>mongodb_jobs</c>).</summary>
public sealed class MongoStorageOptions
{
    /// <summary>The default URL, MRQ's <c>mongodb_jobs</c> default.</summary>
    public const string DefaultUrl = "mongodb://127.0.0.1:27017/mrq";

    /// <summary>The database used when the URL names none.</summary>
    public const string DefaultDatabase = "mrq";

    /// <summary>The write concern of <c>mrq_jobs</c> and <c>mrq_workers</c> when neither the option nor the URL sets one.</summary>
    public const string DefaultWriteConcern = "majority";

    /// <summary>MRQ's <c>mrq_logs</c> capped size, 16 MB (mrq/logger.py).</summary>
    public const long DefaultLogsCappedSize = 16 * 1024 * 1024;

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

    /// <summary>
    /// The write concern of job and worker writes: <c>majority</c> or a number of members (1 or more). Null (the
    /// default) takes the URL's <c>w=</c> when it is set, otherwise <see cref="DefaultWriteConcern"/>, so an
    /// acknowledged claim or outcome survives a failover. <c>0</c> (unacknowledged), here or in the URL, is refused:
    /// claims and outcomes cannot be checked without an answer. Lowering it to <c>1</c> is faster and risks
    /// rollbacks on failover, as MRQ's own <c>w=1</c> does.
    /// </summary>
    public string? WriteConcern { get; set; }

    /// <summary>
    /// How long one read from the server's socket may wait (the driver's <c>socketTimeoutMS</c>, infinite by default)
    /// before the operation fails, so a black-holed connection cannot hang the fetch loop or a stop. The URL's
    /// <c>socketTimeoutMS</c> wins when set. Default 30 seconds, longer than any single command the storage sends
    /// (expired-job deletes are batched).
    /// </summary>
    public TimeSpan SocketTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long opening a connection may take (the driver's <c>connectTimeoutMS</c>, 30 s by default). The URL's
    /// <c>connectTimeoutMS</c> wins when set. Default 10 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The size in bytes of <c>mrq_logs</c> when the storage creates it (capped, as MRQ creates it, so job logs never
    /// grow without bound). An existing collection is never converted. Default <see cref="DefaultLogsCappedSize"/>.
    /// </summary>
    public long LogsCappedSize { get; set; } = DefaultLogsCappedSize;
}
