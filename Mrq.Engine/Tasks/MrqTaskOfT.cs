using System.Text.Json;
using System.Text.Json.Nodes;
using Mrq.Context;

namespace Mrq.Tasks;

/// <summary>
/// A task with typed params and result, (de)serialized with <see cref="MrqJson.Options"/> (snake_case names).
/// </summary>
/// <typeparam name="TParams">The params type; deserialized from the job's params object.</typeparam>
/// <typeparam name="TResult">The result type; serialized into the job's result.</typeparam>
public abstract class MrqTask<TParams, TResult> : MrqTask
{
    /// <inheritdoc/>
    public sealed override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        TParams typed;
        try
        {
            typed = parameters.Deserialize<TParams>(MrqJson.Options)!;
        }
        catch (JsonException ex)
        {
            // System.Text.Json names the property: "missing required properties including: 'b'" or "Path: $.a".
            throw new ArgumentException($"params do not fit {typeof(TParams).Name}: {ex.Message}", nameof(parameters), ex);
        }

        var result = await RunAsync(typed, context).ConfigureAwait(false);
        return JsonSerializer.SerializeToNode(result, MrqJson.Options);
    }

    /// <summary>Runs the task with typed params.</summary>
    protected abstract ValueTask<TResult> RunAsync(TParams parameters, JobContext context);
}
