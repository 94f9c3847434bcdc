using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>
/// The JSON of the control protocol: the engine's own records (jobs, searches, overviews, worker reports) as
/// System.Text.Json writes them, job ids as their 24 hexadecimal characters and statuses by name.
/// </summary>
internal static class ControlJson
{
    /// <summary>The serializer options both ends use.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JobIdConverter(), new JsonStringEnumConverter() },
    };

    /// <summary>A value as a JSON node.</summary>
    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    /// <summary>An argument of a request, or <paramref name="fallback"/> when absent or null.</summary>
    /// <exception cref="ArgumentException">A required argument is missing.</exception>
    public static T Arg<T>(JsonObject arguments, string name, bool required = true, T fallback = default!)
    {
        if (arguments[name] is { } node)
        {
            return node.Deserialize<T>(Options) ?? fallback;
        }

        return required ? throw new ArgumentException($"The control request lacks its '{name}' argument.", name) : fallback;
    }

    private sealed class JobIdConverter : JsonConverter<JobId>
    {
        public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JobId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("A job id must be 24 hexadecimal characters.");

        public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
