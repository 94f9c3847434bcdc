using Microsoft.Extensions.Logging;

namespace Mrq.Workers;

/// <summary>
/// The due-retry timer: sleeps until the earliest <c>dateretry</c> of the jobs in <c>retry</c> (delayed jobs and
/// delayed retries) and then requeues the due ones, so they start on time instead of at the next maintenance pass.
/// The earliest date is re-read at least every <see cref="DueRetryCheck"/>, which is how a job delayed by another
/// process is noticed; the requeue is MRQ's RequeueRetryJobs, a compare-and-set per job, so several workers doing
/// it at once requeue each job once.
/// </summary>
internal sealed partial class Worker
{
    /// <summary>The longest sleep between two reads of the earliest due date.</summary>
    internal static readonly TimeSpan DueRetryCheck = TimeSpan.FromSeconds(1);

    private async Task DueRetryLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var sleep = DueRetryCheck;
            try
            {
                if (await _storage.Jobs.NextRetryDateAsync(cancellationToken).ConfigureAwait(false) is { } due)
                {
                    var untilDue = due - Now;
                    if (untilDue <= TimeSpan.Zero)
                    {
                        // Requeued jobs wake the workers of their queue. When nothing moved (another worker was
                        // first, or the job changed meanwhile), the next read waits a full check period.
                        if (await _maintenance.RequeueRetryJobsAsync(cancellationToken).ConfigureAwait(false) > 0)
                        {
                            continue;
                        }
                    }
                    else if (untilDue < sleep)
                    {
                        sleep = untilDue;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Reading or requeueing due retry jobs failed; trying again in {Interval} s.", DueRetryCheck.TotalSeconds);
            }

            try
            {
                await Task.Delay(sleep, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
