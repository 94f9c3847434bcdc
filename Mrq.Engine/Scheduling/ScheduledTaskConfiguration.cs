using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Mrq.Scheduling;

/// <summary>
/// Reads <c>scheduler_tasks</c> entries from configuration, where every value is text: <c>params</c> is rebuilt as
/// JSON (children named 0, 1… as an array; <c>true</c>/<c>false</c> (any case) and numbers as such, everything else as a string),
/// <c>dailytime</c> is <c>HH:MM</c> or <c>HH:MM:SS</c>, <c>catchup</c> one of <c>none</c>, <c>once</c>, <c>all</c>.
/// </summary>
internal static class ScheduledTaskConfiguration
{
    private static readonly string[] s_timeFormats = ["H:mm", "H:mm:ss", "H:mm:ss.FFFFFF"];

    /// <summary>The entries under <paramref name="section"/> (keyed by MRQ's names), in order.</summary>
    /// <exception cref="InvalidOperationException">A value has the wrong type (the message names the entry and key).</exception>
    public static List<ScheduledTask> Read(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section.GetChildren()
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .Select(Entry)
            .ToList();
    }

    private static ScheduledTask Entry(IConfigurationSection entry)
    {
        var task = new ScheduledTask
        {
            Path = entry["path"] ?? string.Empty,
            Queue = Text(entry, "queue"),
            Interval = Parsed<double>(entry, "interval", "a number of seconds", t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null),
            DailyTime = Parsed<TimeOnly>(entry, "dailytime", "a time of day (HH:MM or HH:MM:SS)", t => TimeOnly.TryParseExact(t, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : null),
            Weekday = Parsed<int>(entry, "weekday", "a whole number", t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null),
            Monthday = Parsed<int>(entry, "monthday", "a whole number", t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null),
            Cron = Text(entry, "cron"),
            TimeZone = Text(entry, "timezone"),
            Catchup = Parsed<CronCatchup>(entry, "catchup", "none, once or all", t => Enum.TryParse<CronCatchup>(t, ignoreCase: true, out var v) && !int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? v : null),
        };
        var parameters = entry.GetSection("params");
        if (parameters.Value is { Length: > 0 } inline)
        {
            throw new InvalidOperationException($"{parameters.Path} must be an object of params (got '{inline}').");
        }

        if (parameters.GetChildren().Any())
        {
            task.Params = (JsonObject)Node(parameters)!;
        }

        return task;
    }

    private static string? Text(IConfigurationSection entry, string key) => entry[key] is { Length: > 0 } text ? text : null;

    private static T? Parsed<T>(IConfigurationSection entry, string key, string expected, Func<string, T?> parse)
        where T : struct
    {
        if (Text(entry, key) is not { } text)
        {
            return null;
        }

        return parse(text.Trim()) ?? throw new InvalidOperationException($"{ConfigurationPath.Combine(entry.Path, key)} must be {expected} (got '{text}').");
    }

    private static JsonNode? Node(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return Scalar(section.Value);
        }

        var indexes = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indexes.All(i => i >= 0) && indexes.Order().SequenceEqual(Enumerable.Range(0, indexes.Count)))
        {
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(Node)]);
        }

        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = Node(child);
        }

        return obj;
    }

    /// <summary>A configuration value as JSON: booleans and numbers as such, null for a JSON null (read as empty), else a string.</summary>
    private static JsonValue? Scalar(string? text) => text switch
    {
        null or "" => null,
        // The JSON configuration provider writes booleans as True / False.
        _ when bool.TryParse(text, out var flag) => JsonValue.Create(flag),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => JsonValue.Create(number),
        _ => JsonValue.Create(text),
    };
}
