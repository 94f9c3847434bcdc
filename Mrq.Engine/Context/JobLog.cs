using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Mrq.Context;

/// <summary>
/// A job's logger (MRQ's <c>log</c>): each line is kept for the job's <c>mrq_logs</c> entry, saved when the job
/// ends, and forwarded to the application's logging.
/// </summary>
internal sealed class JobLog : ILogger
{
    private readonly ILogger _forward;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private StringBuilder? _lines;

    public JobLog(ILogger forward, TimeProvider time)
    {
        _forward = forward;
        _time = time;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _forward.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.None)
        {
            return;
        }

        var message = formatter(state, exception);
        var line = string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():yyyy-MM-dd HH:mm:ss.fff} [{logLevel}] {message}");
        if (exception is not null)
        {
            line += Environment.NewLine + exception;
        }

        lock (_gate)
        {
            _lines ??= new StringBuilder();
            if (_lines.Length > 0)
            {
                _lines.Append('\n');
            }

            _lines.Append(line);
        }

        _forward.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>The lines logged so far and clears them; null when none.</summary>
    public string? TakeLines()
    {
        lock (_gate)
        {
            if (_lines is null || _lines.Length == 0)
            {
                return null;
            }

            var text = _lines.ToString();
            _lines.Clear();
            return text;
        }
    }
}
