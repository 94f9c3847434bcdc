using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mrq.Scheduling;

/// <summary>
/// MRQ's <c>_hash_task</c> (mrq/scheduler.py): <c>" ".join(str(task.get(k)) for k in [path, interval, dailytime,
/// weekday, monthday, queue])</c> then <c>str(params)</c>, where non-empty params are
/// <c>ujson.dumps(sorted(params.items()))</c>. Python's <c>str()</c> is reproduced (<c>None</c>, <c>60</c>,
/// <c>12:30:00</c>, <c>{}</c>) and ujson's defaults (no spaces, <c>\/</c>, <c>\uXXXX</c> for anything not ASCII), so
/// a Python MRQ scheduler and this one compute the same hash for the same entry. A cron entry appends its
/// <c>cron=</c>, <c>timezone=</c> and <c>catchup=</c> to that string (Python MRQ has no cron).
/// </summary>
internal static class ScheduleHash
{
    private const string PythonNone = "None";

    /// <summary>The hash of <paramref name="task"/>.</summary>
    public static string Compute(ScheduledTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var parts = new[]
        {
            task.Path,
            task.Interval is { } interval ? PythonNumber(interval) : PythonNone,
            task.DailyTime is { } time ? PythonTime(time) : PythonNone,
            task.Weekday?.ToString(CultureInfo.InvariantCulture) ?? PythonNone,
            task.Monthday?.ToString(CultureInfo.InvariantCulture) ?? PythonNone,
            task.Queue ?? PythonNone,
            Params(task.Params),
        };
        var hash = string.Join(' ', parts);
        return task.Cron is null
            ? hash
            : $"{hash} cron={task.Cron} timezone={task.TimeZone ?? "UTC"} catchup={(task.Catchup ?? CronCatchup.Once).ToString().ToLowerInvariant()}";
    }

    /// <summary><c>str(params)</c> after MRQ's transformation: <c>None</c>, <c>{}</c>, or the ujson of the sorted items.</summary>
    private static string Params(JsonObject? parameters)
    {
        if (parameters is null)
        {
            return PythonNone;
        }

        if (parameters.Count == 0)
        {
            // An empty dict is falsy in Python: MRQ keeps it and str() gives "{}".
            return "{}";
        }

        var json = new StringBuilder();
        json.Append('[');
        var first = true;
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.Append(first ? "[" : ",[");
            first = false;
            WriteString(json, key);
            json.Append(',');
            WriteValue(json, value);
            json.Append(']');
        }

        return json.Append(']').ToString();
    }

    private static void WriteValue(StringBuilder json, JsonNode? node)
    {
        switch (node)
        {
            case null:
                json.Append("null");
                break;
            case JsonObject obj:
                json.Append('{');
                var firstProperty = true;
                foreach (var (key, value) in obj)
                {
                    json.Append(firstProperty ? string.Empty : ",");
                    firstProperty = false;
                    WriteString(json, key);
                    json.Append(':');
                    WriteValue(json, value);
                }

                json.Append('}');
                break;
            case JsonArray array:
                json.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    json.Append(i == 0 ? string.Empty : ",");
                    WriteValue(json, array[i]);
                }

                json.Append(']');
                break;
            default:
                WriteScalar(json, node.AsValue());
                break;
        }
    }

    private static void WriteScalar(StringBuilder json, JsonValue value)
    {
        // Parsed from text either way, so values built in code (JsonValue.Create(1)) and parsed ones read alike.
        using var document = JsonDocument.Parse(value.ToJsonString());
        var element = document.RootElement;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(json, element.GetString()!);
                break;
            case JsonValueKind.True:
                json.Append("true");
                break;
            case JsonValueKind.False:
                json.Append("false");
                break;
            case JsonValueKind.Number:
                json.Append(UjsonNumber(element));
                break;
            default:
                json.Append("null");
                break;
        }
    }

    /// <summary>A JSON integer as written; any other number as Python's shortest float repr (ujson's output for a float).</summary>
    private static string UjsonNumber(JsonElement number)
    {
        var text = number.GetRawText();
        if (text.AsSpan().IndexOfAny(".eE") < 0)
        {
            return text;
        }

        return PythonFloat(number.GetDouble());
    }

    /// <summary>Python's <c>str()</c> of a number read from configuration: a whole number as an int, else a float.</summary>
    private static string PythonNumber(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : PythonFloat(value);

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, with <c>.0</c> on whole numbers.</summary>
    private static string PythonFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            // .NET "1E+20" → Python "1e+20"; "1E-05" → "1e-05".
            var mantissa = text[..text.IndexOf('E', StringComparison.Ordinal)];
            var exponent = int.Parse(text[(text.IndexOf('E', StringComparison.Ordinal) + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        return text.Contains('.', StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal) || text == "NaN" ? text : text + ".0";
    }

    /// <summary>Python's <c>str(datetime.time)</c>: <c>HH:MM:SS</c>, with <c>.ffffff</c> when there are microseconds.</summary>
    private static string PythonTime(TimeOnly time)
    {
        var microseconds = (time.Ticks % TimeSpan.TicksPerSecond) / 10;
        var text = time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return microseconds == 0 ? text : text + "." + microseconds.ToString("000000", CultureInfo.InvariantCulture);
    }

    /// <summary>A string as ujson writes it by default (<c>ensure_ascii</c>, <c>escape_forward_slashes</c>).</summary>
    private static void WriteString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '/': json.Append("\\/"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7f)
                    {
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        json.Append('"');
    }
}
