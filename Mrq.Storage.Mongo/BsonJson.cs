using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MongoDB.Bson;

namespace Mrq.Storage.Mongo;

/// <summary>
/// Converts between JSON (params, results) and BSON, losslessly for JSON's types: objects keep their key order,
/// integers become Int32 or Int64 (doubles beyond the Int64 range), other numbers doubles. BSON types JSON lacks
/// (written by Python MRQ, e.g. a datetime in params) are read as the nearest JSON: dates as ISO 8601 strings,
/// ObjectIds as hex strings, binaries as base64, non-finite doubles as null.
/// </summary>
internal static class BsonJson
{
    public static BsonValue ToBson(JsonNode? node) => node switch
    {
        null => BsonNull.Value,
        JsonObject obj => ToBsonDocument(obj),
        JsonArray array => ToBsonArray(array),
        JsonValue value => ValueToBson(value),
        _ => throw new ArgumentException($"Unsupported JSON node {node.GetType().Name}.", nameof(node)),
    };

    public static BsonDocument ToBsonDocument(JsonObject obj)
    {
        var document = new BsonDocument();
        foreach (var (key, value) in obj)
        {
            document[key] = ToBson(value);
        }

        return document;
    }

    public static JsonNode? ToJson(BsonValue? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (value.BsonType)
        {
            case BsonType.Document:
                return ToJsonObject(value.AsBsonDocument);
            case BsonType.Array:
                var array = new JsonArray();
                foreach (var item in value.AsBsonArray)
                {
                    array.Add(ToJson(item));
                }

                return array;
            case BsonType.String:
                return JsonValue.Create(value.AsString);
            case BsonType.Int32:
                return JsonValue.Create(value.AsInt32);
            case BsonType.Int64:
                return JsonValue.Create(value.AsInt64);
            case BsonType.Double:
                var number = value.AsDouble;
                return double.IsFinite(number) ? JsonValue.Create(number) : null;
            case BsonType.Decimal128:
                var dec = value.AsDecimal128;
                if (Decimal128.IsNaN(dec) || Decimal128.IsInfinity(dec))
                {
                    return null;
                }

                return decimal.TryParse(dec.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
                    ? JsonValue.Create(exact)
                    : JsonValue.Create(Decimal128.ToDouble(dec));
            case BsonType.Boolean:
                return JsonValue.Create(value.AsBoolean);
            case BsonType.DateTime:
                var date = value.AsBsonDateTime;
                return date.IsValidDateTime
                    ? JsonValue.Create(date.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
                    : JsonValue.Create(date.MillisecondsSinceEpoch);
            case BsonType.ObjectId:
                return JsonValue.Create(value.AsObjectId.ToString());
            case BsonType.Binary:
                return JsonValue.Create(Convert.ToBase64String(value.AsBsonBinaryData.Bytes));
            case BsonType.Timestamp:
                return JsonValue.Create(value.AsBsonTimestamp.Value);
            case BsonType.RegularExpression:
                return JsonValue.Create(value.AsBsonRegularExpression.Pattern);
            case BsonType.JavaScript:
            case BsonType.JavaScriptWithScope:
                return JsonValue.Create(value.AsBsonJavaScript.Code);
            case BsonType.Symbol:
                return JsonValue.Create(value.AsBsonSymbol.Name);
            default:
                // Null, Undefined, MinKey, MaxKey, EndOfDocument.
                return null;
        }
    }

    public static JsonObject ToJsonObject(BsonDocument document)
    {
        var obj = new JsonObject();
        foreach (var element in document)
        {
            // The indexer keeps the last of duplicate names instead of throwing.
            obj[element.Name] = ToJson(element.Value);
        }

        return obj;
    }

    private static BsonArray ToBsonArray(JsonArray array)
    {
        var result = new BsonArray(array.Count);
        foreach (var item in array)
        {
            result.Add(ToBson(item));
        }

        return result;
    }

    private static BsonValue ValueToBson(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new BsonString(value.TryGetValue<string>(out var text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString())!);
            case JsonValueKind.Number:
                return NumberToBson(value);
            case JsonValueKind.True:
                return BsonBoolean.True;
            case JsonValueKind.False:
                return BsonBoolean.False;
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                // A JsonValue wrapping an object or array element: convert it as the node it stands for.
                return ToBson(JsonNode.Parse(value.ToJsonString()));
            default:
                return BsonNull.Value;
        }
    }

    private static BsonValue NumberToBson(JsonValue value)
    {
        if (value.TryGetValue<int>(out var i))
        {
            return new BsonInt32(i);
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)l) : new BsonInt64(l);
        }

        if (value.TryGetValue<double>(out var d))
        {
            return new BsonDouble(d);
        }

        // Other CLR numeric types (decimal, uint, ulong, float...): go through the JSON text.
        var raw = value.ToJsonString();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out l))
        {
            return l is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)l) : new BsonInt64(l);
        }

        return new BsonDouble(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}
