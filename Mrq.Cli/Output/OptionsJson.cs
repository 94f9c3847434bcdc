using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Mrq.Cli.Output;

/// <summary>Options objects as JSON under their configuration key names (<c>max_jobs</c>…), for <c>--print-config</c>.</summary>
internal static class OptionsJson
{
    /// <summary>Every property that has a <see cref="ConfigurationKeyNameAttribute"/>, recursively.</summary>
    public static JsonNode? ToJson(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string or bool or int or long or double:
                return JsonValue.Create(value);
            case JsonNode node:
                return node.DeepClone();
            case TimeOnly time:
                return JsonValue.Create(time.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            case Enum e:
                return JsonValue.Create(JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString()));
            case IDictionary dictionary:
                var map = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    map[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!] = ToJson(entry.Value);
                }

                return map;
            case IEnumerable list:
                return new JsonArray([.. list.Cast<object?>().Select(ToJson)]);
        }

        var json = new JsonObject();
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>() is { } key && property.GetValue(value) is { } propertyValue)
            {
                json[key.Name] = ToJson(propertyValue);
            }
        }

        return json;
    }
}
