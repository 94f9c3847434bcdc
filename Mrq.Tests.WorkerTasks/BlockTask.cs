using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Tests.WorkerTasks;

/// <summary>
/// <c>tests.distributed.Block</c>: records its start with <see cref="ExecutionLog"/> in <c>params.dir</c> (tag
/// <c>params.tag</c>), then waits until the file <c>params.release</c> exists, creates <c>&lt;dir&gt;/&lt;job id&gt;.done</c>
/// (so the test knows the task has ended, even when its outcome cannot be saved yet), and returns its process id.
/// A stand-in for a long job whose end the test controls. Cancelled like any job.
/// </summary>
[MrqTask(Path, Timeout = 600)]
public sealed class BlockTask : MrqTask
{
    /// <summary>The task path.</summary>
    public const string Path = "tests.distributed.Block";

    /// <summary>The suffix of the marker file written when the task ends.</summary>
    public const string DoneSuffix = ".done";

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);

    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var directory = parameters["dir"]?.GetValue<string>() ?? throw new ArgumentException("params.dir is required.", nameof(parameters));
        var release = parameters["release"]?.GetValue<string>() ?? throw new ArgumentException("params.release is required.", nameof(parameters));
        ExecutionLog.Append(directory, context.JobId.ToString(), parameters["tag"]?.GetValue<string>() ?? "-");
        while (!File.Exists(release))
        {
            await Task.Delay(s_poll, context.CancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(System.IO.Path.Combine(directory, context.JobId + DoneSuffix), string.Empty, context.CancellationToken).ConfigureAwait(false);
        return Environment.ProcessId;
    }
}
