using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary>
/// <c>samples.WaitForFile</c>: waits until the file <c>path</c> exists, a stand-in for a job that waits on an
/// outside event. When it starts it writes <c>&lt;path&gt;.started</c> containing its process id, so whoever
/// controls the file knows the job is running, and where. Cancelled like any job (timeout, SIGTERM).
/// </summary>
[MrqTask("samples.WaitForFile", Timeout = 600)]
public sealed class WaitForFile : MrqTask<WaitForFileParams, WaitForFileResult>
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    /// <inheritdoc/>
    protected override async ValueTask<WaitForFileResult> RunAsync(WaitForFileParams parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var path = parameters.Path ?? throw new ArgumentException("params.path (the file to wait for) is required.", nameof(parameters));
        var clock = Stopwatch.StartNew();
        await File.WriteAllTextAsync(path + ".started", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), context.CancellationToken).ConfigureAwait(false);
        context.Log.LogInformation("Job {JobId} waiting for {Path}", context.JobId, path);
        while (!File.Exists(path))
        {
            await Task.Delay(s_poll, context.CancellationToken).ConfigureAwait(false);
        }

        return new WaitForFileResult(Math.Round(clock.Elapsed.TotalSeconds, 3));
    }
}
