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
    /// <summary>The logger name stored lines give for <c>%(name)s</c>, as MRQ's job logger.</summary>
    private const string Category = "mrq.current";

    private readonly ILogger _forward;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly int _maxChars;
    private readonly JobLogFormat _format;
    private StringBuilder? _lines;
    private bool _truncated;

    /// <param name="forward">The application's logger, which gets every line.</param>
    /// <param name="time">The clock for line timestamps.</param>
    /// <param name="maxChars">Most characters stored for the job; the first line past it is replaced by a marker and later ones are not stored.</param>
    /// <param name="format">The stored lines' format (MRQ's <c>log_format</c>); null is MRQ's default.</param>
    public JobLog(ILogger forward, TimeProvider time, int maxChars = int.MaxValue, JobLogFormat? format = null)
    {
        _forward = forward;
        _time = time;
        _maxChars = maxChars;
        _format = format ?? JobLogFormat.Default;
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
        var line = _format.Format(_time.GetUtcNow(), logLevel, Category, message);
        if (exception is not null)
        {
            line += Environment.NewLine + exception;
        }

        lock (_gate)
        {
            Keep(line);
        }

        _forward.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>
    /// Stores a line unless the job's stored log is full: a job that logs without bound must not make its log
    /// unstorable (one mrq_logs document) or hold the worker's memory; the application's logging still gets every line.
    /// </summary>
    private void Keep(string line)
    {
        _lines ??= new StringBuilder();
        if (_truncated)
        {
            return;
        }

        if (_lines.Length + line.Length + 1 > _maxChars)
        {
            _truncated = true;
            line = _format.Format(_time.GetUtcNow(), LogLevel.Warning, Category, string.Create(CultureInfo.InvariantCulture, $"Log truncated: this job's stored log reached max_job_log_chars ({_maxChars}); later lines are not stored."));
        }

        if (_lines.Length > 0)
        {
            _lines.Append('\n');
        }

        _lines.Append(line);
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
