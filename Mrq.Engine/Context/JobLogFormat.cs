using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Mrq.Context;

/// <summary>
/// MRQ's <c>log_format</c> (Python logging's <c>%(field)s</c> syntax) for the lines stored in <c>mrq_logs</c>, so a
/// line reads as MRQ writes it: <c>2026-11-27 20:06:02,820 [INFO] adding</c>. Fields: <c>asctime</c> (UTC, Python's
/// <c>YYYY-MM-DD HH:MM:SS,mmm</c>), <c>levelname</c> (DEBUG, INFO, WARNING, ERROR, CRITICAL), <c>levelno</c>,
/// <c>message</c>, <c>name</c> and <c>process</c>; <c>%%</c> is a percent sign.
/// </summary>
internal sealed partial class JobLogFormat
{
    /// <summary>MRQ's default <c>log_format</c>.</summary>
    public const string MrqDefault = "%(asctime)s [%(levelname)s] %(message)s";

    private static readonly string[] s_fields = ["asctime", "levelname", "levelno", "message", "name", "process"];

    private readonly IReadOnlyList<(string Literal, string? Field)> _parts;

    private JobLogFormat(IReadOnlyList<(string Literal, string? Field)> parts)
    {
        _parts = parts;
    }

    /// <summary>The format of MRQ's default <c>log_format</c>.</summary>
    public static JobLogFormat Default { get; } = Parse(MrqDefault);

    /// <summary>Reads a format.</summary>
    /// <exception cref="FormatException">A field is not one of the supported names, or a <c>%</c> starts no field.</exception>
    public static JobLogFormat Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var parts = new List<(string, string?)>();
        var literal = new StringBuilder();
        var index = 0;
        foreach (Match match in FieldPattern().Matches(format))
        {
            literal.Append(format, index, match.Index - index);
            index = match.Index + match.Length;
            if (match.Value == "%%")
            {
                literal.Append('%');
                continue;
            }

            var field = match.Groups["field"].Value;
            if (!s_fields.Contains(field, StringComparer.Ordinal))
            {
                throw new FormatException($"log_format: field '%({field})' is not supported (use {string.Join(", ", s_fields)}).");
            }

            parts.Add((literal.ToString(), field));
            literal.Clear();
        }

        var rest = format[index..];
        if (rest.Contains('%', StringComparison.Ordinal) || parts.Count == 0 && literal.ToString().Contains('%', StringComparison.Ordinal))
        {
            throw new FormatException($"log_format: a '%' starts no %(field)s in '{format}' (write %% for a percent sign).");
        }

        literal.Append(rest);
        parts.Add((literal.ToString(), null));
        return new JobLogFormat(parts);
    }

    /// <summary>Python logging's level name for a .NET level.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    /// <summary>One line.</summary>
    public string Format(DateTimeOffset time, LogLevel level, string category, string message)
    {
        var line = new StringBuilder();
        foreach (var (literal, field) in _parts)
        {
            line.Append(literal);
            line.Append(field switch
            {
                "asctime" => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture),
                "levelname" => LevelName(level),
                "levelno" => LevelNumber(level).ToString(CultureInfo.InvariantCulture),
                "message" => message,
                "name" => category,
                "process" => Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                _ => string.Empty,
            });
        }

        return line.ToString();
    }

    private static int LevelNumber(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => 10,
        LogLevel.Information => 20,
        LogLevel.Warning => 30,
        LogLevel.Error => 40,
        _ => 50,
    };

    [GeneratedRegex(@"%%|%\((?<field>[^)]*)\)[sd]")]
    private static partial Regex FieldPattern();
}
