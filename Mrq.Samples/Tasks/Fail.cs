using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary><c>samples.Fail</c>: always throws, so the job ends <c>failed</c> with its exception type and traceback.</summary>
[MrqTask("samples.Fail")]
public sealed class Fail : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var message = parameters["message"]?.GetValue<string>() ?? "samples.Fail failed on purpose.";
        throw new InvalidOperationException(message);
    }
}
