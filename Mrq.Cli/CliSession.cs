using System.CommandLine;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Commands;
using Mrq.Cli.Configuration;
using Mrq.Cli.Hosting;

namespace Mrq.Cli;

/// <summary>What a command needs from the command line: configuration, storage choice, tasks, log level, output.</summary>
internal sealed class CliSession
{
    private CliSession(CliConfiguration configuration, StorageChoice storage, TaskAssemblies tasks, LogLevel logLevel, CliConsole console)
    {
        Configuration = configuration;
        Storage = storage;
        Tasks = tasks;
        LogLevel = logLevel;
        Console = console;
    }

    /// <summary>The layered configuration.</summary>
    public CliConfiguration Configuration { get; }

    /// <summary>The storage to use.</summary>
    public StorageChoice Storage { get; }

    /// <summary>The task assemblies loaded.</summary>
    public TaskAssemblies Tasks { get; }

    /// <summary>The minimum log level.</summary>
    public LogLevel LogLevel { get; }

    /// <summary>Where results and errors are written.</summary>
    public CliConsole Console { get; }

    /// <summary>Reads the session from a parse result.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="globals">The global options.</param>
    /// <param name="commandFlags">The command's own flags that map to configuration keys.</param>
    /// <param name="extra">More configuration values from the command line (e.g. positional queues).</param>
    /// <param name="console">The output.</param>
    /// <param name="defaultLogLevel">The log level when none is configured.</param>
    /// <exception cref="CliUsageException">Bad configuration or task assemblies.</exception>
    public static CliSession Create(
        ParseResult parse,
        GlobalOptions globals,
        FlagMap? commandFlags,
        IReadOnlyDictionary<string, string?>? extra,
        CliConsole console,
        LogLevel defaultLogLevel)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(globals);
        ArgumentNullException.ThrowIfNull(console);
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        globals.Flags.Collect(parse, flags);
        commandFlags?.Collect(parse, flags);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            flags[key] = value;
        }

        var directory = Directory.GetCurrentDirectory();
        var configuration = CliConfiguration.Load(parse.GetValue(globals.Config), flags, directory, console.Environment);
        var storage = StorageChoice.From(configuration, directory);
        var level = ParseLevel(configuration.Get(ConfigKeys.LogLevel)) ?? defaultLogLevel;
        var tasks = parse.GetValue(globals.Tasks) is { Length: > 0 } files ? TaskAssemblies.Load(files, directory) : TaskAssemblies.None;
        return new CliSession(configuration, storage, tasks, level, console);
    }

    private static LogLevel? ParseLevel(string? text) => text?.ToUpperInvariant() switch
    {
        null => null,
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Information,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" => LogLevel.Critical,
        "NONE" => LogLevel.None,
        _ => throw new CliUsageException($"log_level must be one of trace, debug, information, warning, error, critical, none (got '{text}')."),
    };
}
