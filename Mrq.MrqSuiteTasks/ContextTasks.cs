using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Mrq.Configuration;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.MrqSuiteTasks;

/// <summary>MRQ's <c>tests.tasks.general.GetConfig</c>: the worker's configuration as a JSON string, under MRQ's keys.</summary>
[MrqTask("tests.tasks.general.GetConfig")]
public sealed class GetConfig : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<JsonNode?>(ConfigJson.Of(context).ToJsonString());
    }
}

/// <summary>MRQ's <c>tests.tasks.context.GetContext</c>: job id, worker id, config and environment.</summary>
[MrqTask("tests.tasks.context.GetContext")]
public sealed class GetContext : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Log.LogInformation("Getting context info...");
        var environment = new JsonObject();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value;
        }

        return ValueTask.FromResult<JsonNode?>(new JsonObject
        {
            ["job_id"] = context.JobId.ToString(),
            ["worker_id"] = context.Worker.Id,
            ["config"] = ConfigJson.Of(context),
            ["environ"] = environment,
        });
    }
}

/// <summary>MRQ's <c>get_current_config()</c> as JSON: every option under its MRQ key.</summary>
internal static class ConfigJson
{
    public static JsonObject Of(JobContext context)
    {
        var json = new JsonObject();
        foreach (var property in typeof(MrqOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>() is { } key && property.GetValue(context.Config) is { } value)
            {
                json[key.Name] = ToJson(value);
            }
        }

        json["queues"] = new JsonArray([.. context.Worker.Queues.Select(q => (JsonNode)q)]);
        json["name"] = context.Worker.Name;
        return json;
    }

    private static JsonNode? ToJson(object value) => value switch
    {
        string text => text,
        bool flag => flag,
        int number => number,
        double number => number,
        Enum member => member.ToString().ToLowerInvariant(),
        IEnumerable<string> list => new JsonArray([.. list.Select(i => (JsonNode)i)]),
        _ => null,
    };
}
