using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

/// <summary>
/// The MongoDB client and the MRQ collections of one database, shared by the job, worker and log stores. Owned by
/// the storage: <see cref="InitializeAsync"/> pings the server (and creates MRQ's indexes), disposal closes the client.
/// </summary>
internal sealed partial class MongoConnection : IStorageInitializer, IDisposable
{
    public const string JobsCollection = "mrq_jobs";
    public const string WorkersCollection = "mrq_workers";
    public const string LogsCollection = "mrq_logs";

    private readonly IMongoClient _client;
    private readonly bool _ownsClient;
    private readonly MongoStorageOptions _options;
    private readonly string _servers;
    private readonly string? _password;
    private readonly ILogger _logger;

    /// <param name="options">The storage options.</param>
    /// <param name="configureClient">Adjusts the client settings built from the URL (tests subscribe to command events).</param>
    /// <param name="logger">Receives warnings about the server's existing indexes; none when null.</param>
    public MongoConnection(MongoStorageOptions options, Action<MongoClientSettings>? configureClient = null, ILogger? logger = null)
        : this(FromUrl(options, configureClient), options, logger)
    {
    }

    /// <summary>
    /// A connection over the application's own database object: its client's settings (timeouts, credentials, read
    /// preference) apply as they are, and the client is not disposed with the connection.
    /// </summary>
    /// <param name="database">The database holding MRQ's collections.</param>
    /// <param name="options">The storage options (the URL and the timeouts are not used).</param>
    /// <param name="logger">Receives warnings about the server's existing indexes; none when null.</param>
    public MongoConnection(IMongoDatabase database, MongoStorageOptions options, ILogger? logger = null)
        : this(new Target(database.Client, database, OwnsClient: false, MongoUrlText.Servers(database.Client.Settings.Servers), Password: null), options, logger)
    {
    }

    private MongoConnection(Target target, MongoStorageOptions options, ILogger? logger)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _client = target.Client;
        _ownsClient = target.OwnsClient;
        _servers = target.Servers;
        _password = target.Password;
        Database = target.Database;
        DatabaseName = target.Database.DatabaseNamespace.DatabaseName;
        // Refused here, before anything connects: w=0 would make every claim and outcome unverifiable.
        var jobsSettings = new MongoCollectionSettings
        {
            WriteConcern = JobsWriteConcern(options, target.Database.Settings.WriteConcern),
            // Claims, outcome read-backs and worker liveness must see the latest writes, whatever the URL asks for
            // other readers (a secondary may lag or roll back).
            ReadPreference = ReadPreference.Primary,
        };
        Jobs = Database.GetCollection<BsonDocument>(JobsCollection, jobsSettings);
        Workers = Database.GetCollection<BsonDocument>(WorkersCollection, jobsSettings);
        Logs = Database.GetCollection<BsonDocument>(LogsCollection);
    }

    /// <summary>The client and database a connection uses, and whether it owns (disposes) the client.</summary>
    private sealed record Target(IMongoClient Client, IMongoDatabase Database, bool OwnsClient, string Servers, string? Password);

    private static Target FromUrl(MongoStorageOptions options, Action<MongoClientSettings>? configureClient)
    {
        var password = MongoUrlText.PasswordOf(options.Url);
        MongoUrl url;
        MongoClientSettings settings;
        try
        {
            url = MongoUrl.Create(options.Url);
            settings = MongoClientSettings.FromUrl(url);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException or FormatException)
        {
            // The driver's message may quote the whole connection string, so only a redacted copy is kept.
            throw new MrqStorageException($"The MongoDB URL is not valid: {MongoUrlText.Redact(ex.Message, password)}");
        }

        var databaseName = string.IsNullOrEmpty(url.DatabaseName) ? MongoStorageOptions.DefaultDatabase : url.DatabaseName;
        ApplyTimeouts(settings, options, options.Url);
        // Checked before a client exists, so an invalid write concern leaves nothing to dispose.
        JobsWriteConcern(options, settings.WriteConcern);
        configureClient?.Invoke(settings);
        var client = new MongoClient(settings);
        return new Target(client, client.GetDatabase(databaseName), OwnsClient: true, MongoUrlText.Servers(url), password);
    }

    /// <summary>The database name (the URL's path, or <c>mrq</c>).</summary>
    public string DatabaseName { get; }

    public IMongoDatabase Database { get; }

    public IMongoCollection<BsonDocument> Jobs { get; }

    public IMongoCollection<BsonDocument> Workers { get; }

    public IMongoCollection<BsonDocument> Logs { get; }

    /// <summary>Where this connection points, for messages: servers and database, never credentials.</summary>
    public string Describe() => $"MongoDB at {_servers}, database '{DatabaseName}'";

    /// <summary>
    /// Pings the server within the startup timeout, creates <c>mrq_logs</c> capped when it does not exist, then
    /// creates the indexes when configured.
    /// </summary>
    /// <exception cref="MrqStorageException">The server cannot be reached or refuses the commands.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.StartupTimeout);
            try
            {
                await Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: timeout.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MrqStorageException(
                    $"Cannot reach {Describe()}: no answer within {_options.StartupTimeout.TotalSeconds:0.###} s{LastServerError()}.");
            }
            catch (TimeoutException)
            {
                // A server selection timeout shorter than the startup timeout (serverSelectionTimeoutMS in the URL): its
                // message is the driver's whole cluster state, stack traces included; the heartbeat error says why.
                throw new MrqStorageException($"Cannot reach {Describe()}: no server could be selected{LastServerError()}.");
            }
            catch (MongoException ex)
            {
                throw new MrqStorageException($"Cannot use {Describe()}: {MongoUrlText.Redact(ex.Message, _password)}");
            }
        }

        await SetUpAsync(EnsureCappedLogsAsync, $"the capped {LogsCollection} collection", cancellationToken).ConfigureAwait(false);
        if (_options.EnsureIndexes)
        {
            await SetUpAsync(EnsureIndexesAsync, "the MRQ indexes", cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        // A client the application supplied is the application's to close.
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task SetUpAsync(Func<CancellationToken, Task> step, string what, CancellationToken cancellationToken)
    {
        try
        {
            await step(cancellationToken).ConfigureAwait(false);
        }
        catch (MongoException ex)
        {
            throw new MrqStorageException($"Cannot create {what} on {Describe()}: {MongoUrlText.Redact(ex.Message, _password)}");
        }
    }

    // The heartbeat error says why a server is unreachable (refused, DNS, authentication); the driver never puts
    // credentials in it, and it is redacted anyway.
    private string LastServerError()
    {
        var error = _client.Cluster.Description.Servers
            .Select(s => s.HeartbeatException)
            .FirstOrDefault(e => e is not null);
        return error is null ? string.Empty : $" ({MongoUrlText.Redact(error.GetBaseException().Message, _password)})";
    }
}
