using System.Diagnostics;
using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary>
/// <c>samples.Sleep</c>: a long job. Waits <c>seconds</c> (default 10), stopping early when the job is cancelled
/// (timeout, or the worker interrupted by SIGTERM), and reports progress every tenth of the way.
/// </summary>
[MrqTask("samples.Sleep")]
public sealed class Sleep : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var seconds = parameters["seconds"]?.GetValue<double>() ?? 10;
        var clock = Stopwatch.StartNew();
        for (var step = 1; step <= 10; step++)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds / 10), context.CancellationToken).ConfigureAwait(false);
            await context.SetProgressAsync(step / 10.0).ConfigureAwait(false);
        }

        return new JsonObject { ["slept"] = Math.Round(clock.Elapsed.TotalSeconds, 3) };
    }
}
