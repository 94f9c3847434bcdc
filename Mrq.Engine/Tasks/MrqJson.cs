using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mrq.Tasks;

/// <summary>
/// JSON settings for typed task params and results: snake_case names as MRQ's Python params use, case-insensitive
/// reads, and strict types: a constructor parameter without a default (a positional record member) must be present,
/// and a non-nullable reference must not be null, so a misspelt or missing param fails the job instead of running on 0.
/// </summary>
public static class MrqJson
{
    /// <summary>The serializer options used by <see cref="MrqTask{TParams,TResult}"/>.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Parses text that must be a JSON object (job params).</summary>
    /// <exception cref="FormatException">The text is not valid JSON or not an object; the message says which.</exception>
    public static JsonObject ParseParams(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"params are not valid JSON: {ex.Message}", ex);
        }

        return node as JsonObject
            ?? throw new FormatException($"params must be a JSON object like {{\"a\": 1}}, got {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}.");
    }
}
