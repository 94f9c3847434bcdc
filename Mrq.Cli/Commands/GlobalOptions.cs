using System.CommandLine;
using Mrq.Cli.Configuration;

namespace Mrq.Cli.Commands;

/// <summary>Options every command takes: the storage, the configuration file, task assemblies and the log level.</summary>
internal sealed class GlobalOptions
{
    public GlobalOptions()
    {
        Flags = new FlagMap();
        Storage = Flags.Scalar(
            new Option<string>("--storage") { Description = "The embedded LiteDB file (default: mrq.db in the current directory).", HelpName = "file", Recursive = true },
            ConfigKeys.Storage);
        MongodbJobs = Flags.Scalar(
            new Option<string>("--mongodb-jobs", "--mongodb_jobs", "--mongodb") { Description = "MongoDB URL for jobs; with --redis selects distributed mode.", HelpName = "url", Recursive = true },
            ConfigKeys.MongodbJobs);
        Redis = Flags.Scalar(
            new Option<string>("--redis") { Description = "Redis URL (redis://[:password@]host[:port][/db]); with --mongodb-jobs selects distributed mode.", HelpName = "url", Recursive = true },
            ConfigKeys.Redis);
        RedisPrefix = Flags.Scalar(
            new Option<string>("--redis-prefix", "--redis_prefix") { Description = "Prefix of Mrq's Redis keys (default: mrq).", HelpName = "prefix", Recursive = true },
            ConfigKeys.RedisPrefix);
        LogLevel = Flags.Scalar(
            new Option<string>("--log-level", "--log_level") { Description = "Minimum log level: trace, debug, information, warning, error.", HelpName = "level", Recursive = true }
                .AcceptOnlyFromAmong("trace", "debug", "information", "info", "warning", "error", "critical", "none"),
            ConfigKeys.LogLevel);
        Config = new Option<string>("--config", "-c") { Description = "JSON configuration file (default: mrq.json in the current directory, when present).", HelpName = "file", Recursive = true };
        Tasks = new Option<string[]>("--tasks") { Description = "An assembly whose MrqTask types are registered (repeatable).", HelpName = "dll", Recursive = true };
    }

    /// <summary>The flags that map to configuration keys.</summary>
    public FlagMap Flags { get; }

    public Option<string> Storage { get; }

    public Option<string> MongodbJobs { get; }

    public Option<string> Redis { get; }

    public Option<string> RedisPrefix { get; }

    public Option<string> LogLevel { get; }

    public Option<string> Config { get; }

    public Option<string[]> Tasks { get; }

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in new Option[] { Storage, MongodbJobs, Redis, RedisPrefix, Config, Tasks, LogLevel })
        {
            root.Options.Add(option);
        }
    }
}
