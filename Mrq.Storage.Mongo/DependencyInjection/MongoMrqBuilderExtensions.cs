using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Mrq.DependencyInjection;
using Mrq.Storage.Mongo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the MongoDB backend (jobs, workers, logs in MRQ's layout) on an Mrq builder.</summary>
public static class MongoMrqBuilderExtensions
{
    /// <summary>The log category of the MongoDB storage's warnings.</summary>
    public const string LoggerCategory = "Mrq.Storage.Mongo";

    /// <summary>
    /// Takes jobs, worker reports and job logs from MongoDB at <paramref name="url"/> (MRQ's <c>mongodb_jobs</c>;
    /// the database is the URL's path, <c>mrq</c> by default). Combine with a backend for raw queues, locks and rate
    /// limits (<c>UseRedis</c>). Nothing connects until the storage initializes.
    /// </summary>
    public static IMrqBuilder UseMongo(this IMrqBuilder builder, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return builder.UseMongo(options => options.Url = url);
    }

    /// <summary>Takes jobs, worker reports and job logs from MongoDB, configured by <paramref name="configure"/>.</summary>
    public static IMrqBuilder UseMongo(this IMrqBuilder builder, Action<MongoStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new MongoStorageOptions();
        configure(options);
        return builder.ConfigureStorage((services, parts) =>
            MongoStorage.AddTo(parts, options, services.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory)));
    }

    /// <summary>
    /// Takes jobs, worker reports and job logs from database <paramref name="database"/> of the application's own
    /// <paramref name="client"/> (its settings apply as they are). Mrq never disposes this client: it stays the
    /// application's, to dispose after the host (and Mrq) stopped. Combine with <c>UseRedis</c>.
    /// </summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <param name="client">The application's MongoDB client.</param>
    /// <param name="database">The database holding <c>mrq_jobs</c>, <c>mrq_workers</c> and <c>mrq_logs</c> (MRQ's default is <c>mrq</c>).</param>
    /// <param name="configure">Sets the other <see cref="MongoStorageOptions"/> (indexes, write concern); the URL and timeouts are not used.</param>
    /// <returns>The builder.</returns>
    public static IMrqBuilder UseMongo(this IMrqBuilder builder, IMongoClient client, string database, Action<MongoStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return builder.UseMongo(client.GetDatabase(database), configure);
    }

    /// <summary>
    /// Takes jobs, worker reports and job logs from the application's own <paramref name="database"/> (its client's
    /// settings apply as they are). Mrq never disposes its client: it stays the application's, to dispose after the
    /// host (and Mrq) stopped. Combine with <c>UseRedis</c>.
    /// </summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <param name="database">The database holding <c>mrq_jobs</c>, <c>mrq_workers</c> and <c>mrq_logs</c>.</param>
    /// <param name="configure">Sets the other <see cref="MongoStorageOptions"/> (indexes, write concern); the URL and timeouts are not used.</param>
    /// <returns>The builder.</returns>
    public static IMrqBuilder UseMongo(this IMrqBuilder builder, IMongoDatabase database, Action<MongoStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        var options = new MongoStorageOptions();
        configure?.Invoke(options);
        return builder.ConfigureStorage((services, parts) =>
            MongoStorage.AddTo(parts, database, options, services.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory)));
    }
}
