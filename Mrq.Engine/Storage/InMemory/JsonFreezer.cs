using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mrq.Storage.InMemory;

/// <summary>
/// Turns caller-built JSON nodes into nodes backed by an immutable <see cref="JsonElement"/>, as a database round trip
/// would: values lose their CLR identity (an <c>int</c> put in reads back as a JSON number any numeric getter
/// accepts, exactly as from LiteDB or MongoDB), and the stored node shares nothing with the caller. Cloning such a
/// node for a reader is cheap: the clone wraps the same immutable element and materializes only if the reader looks.
/// One instance serves one call (it reuses its buffer across the call's items); not thread-safe.
/// </summary>
internal sealed class JsonFreezer : IDisposable
{
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 1000 };

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a freezer.</summary>
    public JsonFreezer() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { MaxDepth = 1000, SkipValidation = true });

    /// <summary>An immutable-backed copy of <paramref name="value"/> (null for null or a JSON null).</summary>
    public JsonNode? Freeze(JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        value.WriteTo(_writer);
        _writer.Flush();
        var reader = new Utf8JsonReader(_buffer.WrittenSpan, s_readerOptions);

        // ParseValue copies the bytes into a document that needs no disposal, so clones of it share it for free.
        // Readers on several threads may then read one document at once: JsonDocument reads are thread-safe since
        // .NET 8 (dotnet/runtime#76716 removed the racy string cache).
        var element = JsonElement.ParseValue(ref reader);
        return element.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(element),
            JsonValueKind.Array => JsonArray.Create(element),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => JsonValue.Create(element),
        };
    }

    /// <summary>An immutable-backed copy of a JSON object.</summary>
    public JsonObject FreezeObject(JsonObject value) => (JsonObject)Freeze(value)!;

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}
