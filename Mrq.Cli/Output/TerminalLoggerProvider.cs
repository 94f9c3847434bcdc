using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace Mrq.Cli.Output;

/// <summary>
/// Writes log lines, formatted by the CLI's console formatter, through a Spectre.Console console: while a live status
/// is shown, Spectre prints each line above it, whole, so progress and logs never mix on a terminal.
/// </summary>
internal sealed class TerminalLoggerProvider(IAnsiConsole console, ConsoleFormatter formatter) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TerminalLogger(console, formatter, categoryName);

    public void Dispose()
    {
        // The console is shared and outlives the provider.
    }

    private sealed class TerminalLogger(IAnsiConsole console, ConsoleFormatter formatter, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => NullScope.Instance;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter1)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            using var text = new StringWriter();
            formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter1), null, text);
            if (text.GetStringBuilder().Length > 0)
            {
                console.Write(new Text(text.ToString()));
            }
        }
    }

    private sealed class NullScope : IDisposable
    {
        public static NullScope Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
