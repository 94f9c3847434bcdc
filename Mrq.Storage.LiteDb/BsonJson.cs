using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Lossless conversion between JSON data (params, results) and LiteDB values. Numbers keep their kind (int, long,
/// double). LiteDB documents compare field names case-insensitively, so a JSON object with names that differ only
/// by case cannot be a LiteDB document: <see cref="IsDocumentSafe"/> tells callers to store such values as JSON text.
/// </summary>
internal static class BsonJson
{
    /// <summary>True when <paramref name="node"/> converts to a LiteDB value and back without loss.</summary>
    public static bool IsDocumentSafe(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                HashSet<string>? seen = obj.Count > 1 ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null;
                foreach (var (key, value) in obj)
                {
                    if (key.Contains('\0', StringComparison.Ordinal) || (seen is not null && !seen.Add(key)) || !IsDocumentSafe(value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (!IsDocumentSafe(item))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    /// <summary>Converts JSON to a LiteDB value (callers check <see cref="IsDocumentSafe"/> for objects first).</summary>
    public static BsonValue ToBson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return BsonValue.Null;
            case JsonObject obj:
                return ToDocument(obj);
            case JsonArray array:
                var bsonArray = new BsonArray();
                foreach (var item in array)
                {
                    bsonArray.Add(ToBson(item));
                }

                return bsonArray;
            default:
                return ScalarToBson(node.AsValue());
        }
    }

    /// <summary>Converts a JSON object to a LiteDB document.</summary>
    public static BsonDocument ToDocument(JsonObject obj)
    {
        var document = new BsonDocument();
        foreach (var (key, value) in obj)
        {
            document[key] = ToBson(value);
        }

        return document;
    }

    /// <summary>Converts a LiteDB value back to JSON.</summary>
    public static JsonNode? ToJson(BsonValue value)
    {
        switch (value.Type)
        {
            case BsonType.Null:
            case BsonType.MinValue:
            case BsonType.MaxValue:
                return null;
            case BsonType.Document:
                return ToJsonObject(value.AsDocument);
            case BsonType.Array:
                var array = new JsonArray();
                foreach (var item in value.AsArray)
                {
                    array.Add(ToJson(item));
                }

                return array;
            case BsonType.Int32:
                return JsonValue.Create(value.AsInt32);
            case BsonType.Int64:
                return JsonValue.Create(value.AsInt64);
            case BsonType.Double:
                return JsonValue.Create(value.AsDouble);
            case BsonType.Decimal:
                return JsonValue.Create(value.AsDecimal);
            case BsonType.String:
                return JsonValue.Create(value.AsString);
            case BsonType.Boolean:
                return JsonValue.Create(value.AsBoolean);
            case BsonType.DateTime:
                return JsonValue.Create(value.AsDateTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            default:
                // ObjectId, Guid, Binary: never written by Mrq; shown as their text.
                return JsonValue.Create(value.ToString());
        }
    }

    /// <summary>Converts a LiteDB document back to a JSON object.</summary>
    public static JsonObject ToJsonObject(BsonDocument document)
    {
        var obj = new JsonObject();
        foreach (var (key, item) in document)
        {
            obj[key] = ToJson(item);
        }

        return obj;
    }

    private static BsonValue ScalarToBson(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new BsonValue(value.GetValue<string>());
            case JsonValueKind.True:
                return new BsonValue(true);
            case JsonValueKind.False:
                return new BsonValue(false);
            case JsonValueKind.Number:
                return NumberToBson(value);
            default:
                return BsonValue.Null;
        }
    }

    private static BsonValue NumberToBson(JsonValue value)
    {
        // Fast paths for the common CLR and JsonElement backings; TryGetValue only succeeds without loss.
        if (value.TryGetValue<int>(out var i))
        {
            return new BsonValue(i);
        }

        if (value.TryGetValue<long>(out var l))
        {
            return new BsonValue(l);
        }

        if (value.TryGetValue<double>(out var d) && !value.TryGetValue<JsonElement>(out _))
        {
            return new BsonValue(d);
        }

        // Anything else (JsonElement text, decimal, float, unsigned, short…): go by the JSON text.
        var text = value.ToJsonString();
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out i))
        {
            return new BsonValue(i);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l))
        {
            return new BsonValue(l);
        }

        // A double when it holds the number exactly (its shortest text is the JSON text), else a decimal when one
        // can (more digits), else the nearest double.
        var asDouble = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (asDouble.ToString("R", CultureInfo.InvariantCulture) != text
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            return new BsonValue(m);
        }

        return new BsonValue(asDouble);
    }
}
