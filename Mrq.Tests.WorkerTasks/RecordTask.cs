using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Tests.WorkerTasks;

/// <summary>
/// <c>tests.distributed.Record</c>: records its execution with <see cref="ExecutionLog"/> in <c>params.dir</c> (tagged
/// with <c>params.tag</c>, default <c>-</c>), optionally sleeps <c>params.sleep_ms</c>, and returns its process id.
/// </summary>
[MrqTask(Path)]
public sealed class RecordTask : MrqTask
{
    /// <summary>The task path.</summary>
    public const string Path = "tests.distributed.Record";

    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var directory = parameters["dir"]?.GetValue<string>() ?? throw new ArgumentException("params.dir is required.", nameof(parameters));
        ExecutionLog.Append(directory, context.JobId.ToString(), parameters["tag"]?.GetValue<string>() ?? "-");
        if (AddTask.Integer(parameters["sleep_ms"]) is > 0 and var sleep)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(sleep), context.CancellationToken).ConfigureAwait(false);
        }

        return Environment.ProcessId;
    }
}
