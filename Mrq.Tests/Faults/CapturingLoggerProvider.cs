using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mrq.Tests.Faults;

/// <summary>Keeps every log entry of a test host, so a test can assert a warning was, or was not, written.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();
    private readonly ConcurrentQueue<(LogLevel Level, Exception Exception)> _exceptions = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => _entries.ToArray();

    /// <summary>The exceptions logged with the entries (a console logger prints their message after the entry).</summary>
    public IReadOnlyList<(LogLevel Level, Exception Exception)> Exceptions => _exceptions.ToArray();

    public bool Contains(LogLevel level, string text) => _entries.Any(e => e.Level == level && e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Capturing(this);

    public void Dispose()
    {
    }

    private sealed class Capturing(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner._entries.Enqueue((logLevel, formatter(state, exception)));
            if (exception is not null)
            {
                owner._exceptions.Enqueue((logLevel, exception));
            }
        }
    }
}
