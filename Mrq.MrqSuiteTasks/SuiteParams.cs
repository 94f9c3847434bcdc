using System.Globalization;
using System.Text.Json.Nodes;
using Mrq.Context;

namespace Mrq.MrqSuiteTasks;

/// <summary>Reading Python-style params (numbers may arrive as integers, doubles or strings).</summary>
internal static class SuiteParams
{
    /// <summary>A number param, <paramref name="missing"/> when absent or null.</summary>
    public static double Number(JsonObject parameters, string name, double missing = 0) =>
        parameters[name] is { } node && node.GetValueKind() != System.Text.Json.JsonValueKind.Null
            ? double.Parse(node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : missing;

    /// <summary>A number param, or null when absent or null.</summary>
    public static double? OptionalNumber(JsonObject parameters, string name) =>
        parameters[name] is { } node && node.GetValueKind() != System.Text.Json.JsonValueKind.Null ? Number(parameters, name) : null;

    /// <summary>A number as Python would print it back: integers stay integers.</summary>
    public static JsonNode Json(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < long.MaxValue ? JsonValue.Create((long)value) : JsonValue.Create(value);

    /// <summary>Python's <c>time.sleep(seconds)</c>, cancelled with the job.</summary>
    public static Task SleepAsync(double seconds, JobContext context) =>
        seconds > 0 ? Task.Delay(TimeSpan.FromSeconds(seconds), context.CancellationToken) : Task.CompletedTask;
}
