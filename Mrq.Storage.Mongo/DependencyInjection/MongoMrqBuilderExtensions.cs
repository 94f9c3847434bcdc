using Microsoft.Extensions.Logging;
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
}
