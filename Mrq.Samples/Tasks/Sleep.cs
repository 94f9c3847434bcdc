using System.Diagnostics;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary>
/// <c>samples.Sleep</c>: a long job. Waits <c>seconds</c>, stopping early when the job is cancelled (timeout, or the
/// worker interrupted by SIGTERM), and reports progress every tenth of the way.
/// </summary>
[MrqTask("samples.Sleep")]
public sealed class Sleep : MrqTask<SleepParams, SleepResult>
{
    /// <inheritdoc/>
    protected override async ValueTask<SleepResult> RunAsync(SleepParams parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        for (var step = 1; step <= 10; step++)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, parameters.Seconds) / 10), context.CancellationToken).ConfigureAwait(false);
            await context.SetProgressAsync(step / 10.0).ConfigureAwait(false);
        }

        return new SleepResult(Math.Round(clock.Elapsed.TotalSeconds, 3));
    }
}
