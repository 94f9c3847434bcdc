using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using StackExchange.Redis;
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
        var json = Keys(context.Config);

        // MRQ's connection keys, as this port's connections use them (SuiteConnections): MrqOptions holds no storage URLs.
        json["redis"] = Environment.GetEnvironmentVariable("MRQ_REDIS") ?? "redis://" + SuiteConnections.DefaultRedis;
        json["mongodb_jobs"] = Environment.GetEnvironmentVariable("MRQ_MONGODB_JOBS") ?? SuiteConnections.DefaultMongo;
        json["mongodb_logs"] = Environment.GetEnvironmentVariable("MRQ_MONGODB_LOGS") ?? "1";
        json["queues"] = new JsonArray([.. context.Worker.Queues.Select(q => (JsonNode)q)]);
        json["name"] = context.Worker.Name;
        return json;
    }

    /// <summary>Every property with a configuration key name, under that name (MRQ's lower-case config keys).</summary>
    private static JsonObject Keys(object options)
    {
        var json = new JsonObject();
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>() is { } key && property.GetValue(options) is { } value)
            {
                json[key.Name] = ToJson(value);
            }
        }

        return json;
    }

    private static JsonNode? ToJson(object value) => value switch
    {
        IDictionary<string, TaskOptions> tasks => new JsonObject(tasks.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)Keys(t.Value)))),
        string text => text,
        bool flag => flag,
        int number => number,
        double number => number,
        Enum member => member.ToString().ToLowerInvariant(),
        IEnumerable<string> list => new JsonArray([.. list.Select(i => (JsonNode)i)]),
        _ => null,
    };
}

/// <summary>
/// MRQ's <c>tests.tasks.general.QueueAllKnown</c>: <c>Queue.all_known()</c>, the queues named by the config (task
/// queues, raw queues and their retry queues), those of jobs in <c>mrq_jobs</c>, and the known subqueues of raw queues
/// (the <c>mrq:ksq:&lt;raw&gt;</c> sets MRQ's client fills).
/// </summary>
[MrqTask("tests.tasks.general.QueueAllKnown")]
public sealed class QueueAllKnown : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queues = new SortedSet<string>(StringComparer.Ordinal);
        queues.UnionWith(context.Config.Tasks.Values.Select(t => t.Queue).OfType<string>());
        queues.UnionWith(context.Config.RawQueues.Keys);
        queues.UnionWith(context.Config.RawQueues.Values.Select(r => r.RetryQueue));
        var jobs = SuiteConnections.Mongo(context).GetCollection<BsonDocument>("mrq_jobs");
        using (var distinct = await jobs.DistinctAsync<string>("queue", FilterDefinition<BsonDocument>.Empty, cancellationToken: context.CancellationToken).ConfigureAwait(false))
        {
            queues.UnionWith(await distinct.ToListAsync(context.CancellationToken).ConfigureAwait(false));
        }

        var redis = context.Connections.Get<IConnectionMultiplexer>("redis").GetDatabase();
        foreach (var raw in context.Config.RawQueues.Keys)
        {
            queues.UnionWith((await redis.SetMembersAsync($"mrq:ksq:{raw}").ConfigureAwait(false)).Select(m => m.ToString()));
        }

        return new JsonArray([.. queues.Select(q => (JsonNode)q)]);
    }
}
