using Microsoft.Extensions.DependencyInjection;
using Mrq.Cli.Configuration;
using Mrq.Configuration;
using Mrq.DependencyInjection;

namespace Mrq.Cli.Hosting;

/// <summary>
/// Which storage the command uses: embedded (one LiteDB file, <c>storage</c>, default <c>mrq.db</c> in the current
/// directory) or distributed (<c>mongodb_jobs</c> + <c>redis</c>, MRQ's layout). In MRQ-compatibility mode
/// (<see cref="ConfigKeys.Compat"/>) the distributed URLs default to MRQ's.
/// </summary>
internal sealed record StorageChoice(string? LiteDbPath, string? MongoUrl, string? RedisUrl, string? RedisPrefix)
{
    /// <summary>True for MongoDB + Redis.</summary>
    public bool IsDistributed => MongoUrl is not null;

    /// <summary>Reads the choice from the configuration.</summary>
    /// <exception cref="CliUsageException">
    /// Only one of the distributed URLs is set, or both modes are, or the LiteDB file's folder does not exist.
    /// </exception>
    public static StorageChoice From(CliConfiguration configuration, string directory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var mongo = configuration.Get(ConfigKeys.MongodbJobs);
        var redis = configuration.Get(ConfigKeys.Redis);
        var prefix = configuration.Get(ConfigKeys.RedisPrefix);
        var file = configuration.Get(ConfigKeys.Storage);
        if (ConfigKeys.IsTrue(configuration.Get(ConfigKeys.Compat)) && file is null)
        {
            // MRQ's defaults: a worker started with MRQ's command line finds MRQ's local servers.
            mongo ??= ConfigKeys.MrqDefaultMongo;
            redis ??= ConfigKeys.MrqDefaultRedis;
        }

        if (mongo is null && redis is null)
        {
            var path = Path.GetFullPath(file ?? ConfigKeys.DefaultStorageFile, directory);
            var folder = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(folder))
            {
                // A mistyped path must not quietly become a new, empty queue in a new folder.
                throw new CliUsageException($"--storage '{path}': the folder '{folder}' does not exist.");
            }

            return new StorageChoice(path, null, null, null);
        }

        if (mongo is null || redis is null)
        {
            throw new CliUsageException(
                "distributed mode needs both --mongodb-jobs <url> (jobs) and --redis <url> (raw queues, counters, locks); " +
                $"got only {(mongo is null ? "--redis" : "--mongodb-jobs")}. Without either, the embedded LiteDB file (--storage) is used.");
        }

        if (file is not null)
        {
            throw new CliUsageException("--storage (a LiteDB file) and --mongodb-jobs/--redis (distributed mode) exclude each other.");
        }

        return new StorageChoice(null, mongo, redis, prefix);
    }

    /// <summary>Registers the storage on the builder.</summary>
    public void Apply(IMrqBuilder builder, MrqOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (!IsDistributed)
        {
            builder.UseLiteDb(LiteDbPath!);
            return;
        }

        builder.UseMongo(MongoUrl!);
        try
        {
            builder.UseRedis(o =>
            {
                o.Url = RedisUrl!;
                if (RedisPrefix is not null)
                {
                    o.Prefix = RedisPrefix;
                }

                // Invalid values are left to the options validation, which names them with MRQ's keys.
                if (options.QueueTtl > 0)
                {
                    o.QueueTtl = TimeSpan.FromSeconds(options.QueueTtl);
                }

                if (options.MaxLatency > 0)
                {
                    o.MaxLatency = TimeSpan.FromSeconds(options.MaxLatency);
                }
            });
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException($"invalid --redis: {ex.Message}", ex);
        }
    }

    /// <summary>A description for logs and messages, without passwords.</summary>
    public override string ToString() => IsDistributed
        ? $"MongoDB {UrlText.Redact(MongoUrl!)} + Redis {UrlText.Redact(RedisUrl!)}{(RedisPrefix is null ? string.Empty : $" (prefix {RedisPrefix})")}"
        : $"LiteDB file {LiteDbPath}";
}
