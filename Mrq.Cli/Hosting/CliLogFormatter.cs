using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Mrq.Workers;

namespace Mrq.Cli.Hosting;

/// <summary>
/// The <c>mrq</c> log line: <c>HH:mm:ss level: category[event] message</c>, one line per entry (the simple console
/// format). An infrastructure error (an unreachable server, a full disk) is written as its types and messages only,
/// so a worker whose storage fails prints one readable line per retry instead of a driver's stack trace; the stack
/// trace is written with <c>--log-level debug</c>, and always for a job's own failure (its traceback).
/// </summary>
internal sealed class CliLogFormatter : ConsoleFormatter
{
    /// <summary>The formatter's name, as registered with the console logger.</summary>
    public const string FormatterName = "mrq";

    private readonly bool _stackTraces;

    public CliLogFormatter(LogLevel minimumLevel)
        : base(FormatterName)
    {
        _stackTraces = minimumLevel <= LogLevel.Debug;
    }

    /// <inheritdoc/>
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(DateTimeOffset.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture));
        textWriter.Write(LevelText(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write("] ");
        textWriter.Write(OneLine(message));
        if (logEntry.Exception is { } exception)
        {
            var full = _stackTraces || logEntry.Category.StartsWith(WorkerLog.Category, StringComparison.Ordinal);
            textWriter.Write(' ');
            textWriter.Write(OneLine(full ? exception.ToString() : Describe(exception)));
        }

        textWriter.Write(Environment.NewLine);
    }

    /// <summary>An exception as its type and message, then each inner one's: <c>A: why ---&gt; B: why</c>.</summary>
    internal static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            parts.Add($"{current.GetType().Name}: {current.Message}");
        }

        return string.Join(" ---> ", parts);
    }

    private static string OneLine(string text) => text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ');

    private static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };
}
