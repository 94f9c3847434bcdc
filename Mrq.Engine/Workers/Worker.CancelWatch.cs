using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Mrq.Jobs;

namespace Mrq.Workers;

/// <summary>
/// Cancelling running jobs: each run has its own cancellation source, linked into the job's token. A cancel in
/// this process signals it directly (<see cref="Client.JobCompletionHub.CancelRunning"/>); a cancel from anywhere
/// else (another process, the CLI, the dashboard, Python MRQ) is seen by this watcher, which reads the stored status
/// of the jobs running here every <see cref="CancelCheck"/> and signals those stored as <c>cancel</c>.
/// </summary>
internal sealed partial class Worker
{
    /// <summary>How often the stored status of running jobs is read for cancels made elsewhere.</summary>
    internal static readonly TimeSpan CancelCheck = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<JobId, CancellationTokenSource> _cancellations = new();

    private async Task CancelWatchLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Task.Delay(CancelCheck, _time, cancellationToken).ConfigureAwait(false);
                var ids = _cancellations.Keys.ToArray();
                if (ids.Length == 0)
                {
                    continue;
                }

                foreach (var job in await _storage.Jobs.GetAsync(ids, cancellationToken).ConfigureAwait(false))
                {
                    if (job.Status == JobStatus.Cancel)
                    {
                        SignalCancel(job.Id);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Reading the status of running jobs for cancels failed; trying again in {Interval} s.", CancelCheck.TotalSeconds);
            }
        }
    }

    /// <summary>Starts watching a run for cancels; dispose the result when the run ends.</summary>
    private CancelWatch WatchCancel(JobId id)
    {
        var source = new CancellationTokenSource();
        _cancellations[id] = source;
        return new CancelWatch(this, id, source, _completions.Running(id, () => SignalCancel(id)));
    }

    private void SignalCancel(JobId id)
    {
        if (_cancellations.TryGetValue(id, out var source))
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run ended meanwhile.
            }
        }
    }

    /// <summary>One run's cancel source, registered for the watcher and for in-process cancels.</summary>
    private sealed class CancelWatch(Worker worker, JobId id, CancellationTokenSource source, IDisposable registration) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public bool Cancelled => source.IsCancellationRequested;

        public void Dispose()
        {
            registration.Dispose();
            worker._cancellations.TryRemove(new KeyValuePair<JobId, CancellationTokenSource>(id, source));
            source.Dispose();
        }
    }
}
