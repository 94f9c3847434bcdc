using System.Text.Json;
using System.Text.Json.Nodes;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Context;
using Mrq.Jobs;
using Mrq.Tasks;

namespace Mrq.BaseTasks;

/// <summary>
/// MRQ's <c>mrq.basetasks.utils.JobAction</c>: applies <c>action</c> (<c>cancel</c>, <c>requeue</c>,
/// <c>requeue_retry</c>) to the jobs matching <c>id</c>, <c>queue</c>, <c>status</c>, <c>worker</c>, <c>path</c>,
/// <c>exceptiontype</c> and <c>params</c> (a JSON string of param values), leaving out jobs queued after this one
/// when no id is given, and this job itself (MRQ's query includes it, but MRQ's success save then overwrites the
/// status the action gave it; here an outcome never overwrites a cancel, so a filter such as <c>worker</c> that matches
/// the action's own job would cancel it instead of ending it <c>success</c> as in MRQ); <c>requeue</c> moves them to <c>destination_queue</c> when set. Returns <c>{requeued, cancelled}</c>.
/// </summary>
[MrqTask("mrq.basetasks.utils.JobAction")]
internal sealed class JobActionTask : MrqTask
{
    private readonly JobClient _client;
    private readonly TimeProvider _time;
    private readonly MrqOptions _options;

    public JobActionTask(JobClient client, TimeProvider time, Microsoft.Extensions.Options.IOptions<MrqOptions> options)
    {
        _client = client;
        _time = time;
        _options = options.Value;
    }

    /// <summary>MRQ's result shape.</summary>
    public static JsonObject Stats(long requeued, long cancelled) => new() { ["requeued"] = requeued, ["cancelled"] = cancelled };

    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        var filter = Filter(parameters, context.JobId);
        var destination = Text(parameters, "destination_queue");
        switch (Text(parameters, "action"))
        {
            case "cancel":
                return Stats(0, await _client.CancelJobsAsync(filter, context.CancellationToken).ConfigureAwait(false));
            case "requeue":
                return Stats(await _client.RequeueJobsAsync(filter, destination, context.CancellationToken).ConfigureAwait(false), 0);
            case "requeue_retry":
                var now = _time.GetUtcNow().UtcDateTime;
                var action = new JobAction(JobActionKind.RequeueRetry, filter, now, destination, now + TimeSpan.FromSeconds(_options.DefaultJobTtl));
                return Stats(await _client.ApplyAsync(action, context.CancellationToken).ConfigureAwait(false), 0);
            case var other:
                throw new ArgumentException($"JobAction: unknown action '{other}' (cancel, requeue or requeue_retry).");
        }
    }

    private static JobFilter Filter(JsonObject parameters, JobId current)
    {
        var id = Text(parameters, "id");
        return new JobFilter
        {
            Ids = id is null ? null : [JobId.Parse(id)],
            MaxId = id is null ? Before(current) : null,
            Queue = Text(parameters, "queue"),
            Statuses = List(parameters, "status")?.Select(JobStatusNames.Parse).ToArray(),
            Paths = List(parameters, "path"),
            Worker = Text(parameters, "worker"),
            ExceptionType = Text(parameters, "exceptiontype"),
            Params = Text(parameters, "params") is { } json ? JsonNode.Parse(json)?.AsObject() : null,
        };
    }

    /// <summary>The greatest id below <paramref name="id"/> (ids compare as 96-bit big-endian integers).</summary>
    private static JobId Before(JobId id)
    {
        Span<byte> bytes = stackalloc byte[12];
        id.WriteBytes(bytes);
        for (var i = bytes.Length - 1; i >= 0 && bytes[i]-- == 0; i--)
        {
            // A zero byte wrapped to 0xFF: borrow from the next one.
        }

        return JobId.FromBytes(bytes);
    }

    private static string? Text(JsonObject parameters, string name) =>
        parameters[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    private static string[]? List(JsonObject parameters, string name) => parameters[name] switch
    {
        JsonArray array => array.Select(n => n!.GetValue<string>()).ToArray(),
        JsonValue => Text(parameters, name) is { } one ? [one] : null,
        _ => null,
    };
}
