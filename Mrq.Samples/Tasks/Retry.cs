using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary>
/// <c>samples.Retry</c>: asks to be retried (MRQ's <c>retry_current_job</c>) until it has been retried
/// <c>succeed_after</c> times (default 2), then succeeds with the number of attempts. <c>delay</c> seconds
/// (default 0: requeued at once) is the wait before each retry.
/// </summary>
[MrqTask("samples.Retry", MaxRetries = 5)]
public sealed class Retry : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var succeedAfter = parameters["succeed_after"]?.GetValue<int>() ?? 2;
        var delay = parameters["delay"]?.GetValue<double>() ?? 0;
        if (context.Job.RetryCount < succeedAfter)
        {
            context.RetryCurrentJob(TimeSpan.FromSeconds(delay));
        }

        return ValueTask.FromResult<JsonNode?>(new JsonObject { ["attempts"] = context.Job.RetryCount + 1 });
    }
}
