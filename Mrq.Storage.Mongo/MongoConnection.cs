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

    private readonly MongoClient _client;
    private readonly MongoStorageOptions _options;
    private readonly string _servers;
    private readonly string? _password;
    private readonly ILogger _logger;

    /// <param name="options">The storage options.</param>
    /// <param name="configureClient">Adjusts the client settings built from the URL (tests subscribe to command events).</param>
    /// <param name="logger">Receives warnings about the server's existing indexes; none when null.</param>
    public MongoConnection(MongoStorageOptions options, Action<MongoClientSettings>? configureClient = null, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _password = MongoUrlText.PasswordOf(options.Url);
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
            throw new MrqStorageException($"The MongoDB URL is not valid: {MongoUrlText.Redact(ex.Message, _password)}");
        }

        _servers = MongoUrlText.Servers(url);
        DatabaseName = string.IsNullOrEmpty(url.DatabaseName) ? MongoStorageOptions.DefaultDatabase : url.DatabaseName;
        ApplyTimeouts(settings, options, options.Url);
        // Refused here, before anything connects: w=0 would make every claim and outcome unverifiable.
        var jobsSettings = new MongoCollectionSettings
        {
            WriteConcern = JobsWriteConcern(options, settings.WriteConcern),
            // Claims, outcome read-backs and worker liveness must see the latest writes, whatever the URL asks for
            // other readers (a secondary may lag or roll back).
            ReadPreference = ReadPreference.Primary,
        };
        configureClient?.Invoke(settings);
        _client = new MongoClient(settings);
        Database = _client.GetDatabase(DatabaseName);
        Jobs = Database.GetCollection<BsonDocument>(JobsCollection, jobsSettings);
        Workers = Database.GetCollection<BsonDocument>(WorkersCollection, jobsSettings);
        Logs = Database.GetCollection<BsonDocument>(LogsCollection);
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

    public void Dispose() => _client.Dispose();

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
