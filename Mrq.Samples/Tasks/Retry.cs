using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary>
/// <c>samples.Retry</c>: asks to be retried (MRQ's <c>retry_current_job</c>) until it has been retried
/// <c>succeed_after</c> times, then succeeds with the number of attempts. <c>delay</c> seconds (0: requeued at once)
/// is the wait before each retry.
/// </summary>
[MrqTask("samples.Retry", MaxRetries = 5)]
public sealed class Retry : MrqTask<RetryParams, RetryResult>
{
    /// <inheritdoc/>
    protected override ValueTask<RetryResult> RunAsync(RetryParams parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Job.RetryCount < parameters.SucceedAfter)
        {
            context.RetryCurrentJob(TimeSpan.FromSeconds(parameters.Delay));
        }

        return ValueTask.FromResult(new RetryResult(context.Job.RetryCount + 1));
    }
}
