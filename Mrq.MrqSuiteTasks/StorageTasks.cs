using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.MrqSuiteTasks;

/// <summary>MRQ's test collection <c>tests_inserts</c> in the jobs database.</summary>
internal static class Inserts
{
    public static Task AddAsync(JobContext context, BsonDocument document) =>
        SuiteConnections.Mongo(context).GetCollection<BsonDocument>("tests_inserts").InsertOneAsync(document, cancellationToken: context.CancellationToken);
}

/// <summary>MRQ's <c>tests.tasks.general.MongoInsert</c>: inserts <c>{params}</c> into <c>tests_inserts</c>, sleeps, returns its params.</summary>
[MrqTask("tests.tasks.general.MongoInsert")]
public sealed class MongoInsert : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) => InsertAsync(parameters, context);

    /// <summary>The shared body of MongoInsert and MongoInsert2.</summary>
    internal static async ValueTask<JsonNode?> InsertAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        await Inserts.AddAsync(context, new BsonDocument("params", BsonDocument.Parse(parameters.ToJsonString()))).ConfigureAwait(false);
        await SuiteParams.SleepAsync(SuiteParams.Number(parameters, "sleep"), context).ConfigureAwait(false);
        return parameters.DeepClone();
    }
}

/// <summary>MRQ's <c>tests.tasks.general.MongoInsert2</c> (an alias of MongoInsert).</summary>
[MrqTask("tests.tasks.general.MongoInsert2")]
public sealed class MongoInsert2 : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) => MongoInsert.InsertAsync(parameters, context);
}

/// <summary>MRQ's <c>tests.tasks.general.WaitForFlag</c>: polls <c>tests_flags</c> every 0.1 s for <c>{flag}</c>.</summary>
[MrqTask("tests.tasks.general.WaitForFlag")]
public sealed class WaitForFlag : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var flags = context.Connections.Get<IMongoDatabase>("mongodb_logs").GetCollection<BsonDocument>("tests_flags");
        var filter = new BsonDocument("flag", BsonValue.Create(parameters["flag"]?.ToString()));
        while (true)
        {
            if (await flags.Find(filter).FirstOrDefaultAsync(context.CancellationToken).ConfigureAwait(false) is { } flag)
            {
                flag.Remove("_id");
                return JsonNode.Parse(flag.ToJson());
            }

            await SuiteParams.SleepAsync(0.1, context).ConfigureAwait(false);
        }
    }
}

/// <summary>MRQ's <c>tests.tasks.general.SendTask</c>: queues <c>path(params)</c> on <c>queue</c>, returns the job id.</summary>
[MrqTask("tests.tasks.general.SendTask")]
public sealed class SendTask : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var id = await context.Client.QueueJobAsync(
            parameters["path"]!.GetValue<string>(),
            parameters["params"]?.AsObject().DeepClone().AsObject(),
            parameters["queue"] is JsonValue queue ? queue.GetValue<string>() : null,
            context.CancellationToken).ConfigureAwait(false);
        return id.ToString();
    }
}
