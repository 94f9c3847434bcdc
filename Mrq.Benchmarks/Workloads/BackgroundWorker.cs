using Mrq.Workers;

namespace Mrq.Benchmarks.Workloads;

/// <summary>A worker running in the background until <see cref="StopAsync"/> (graceful: running jobs finish).</summary>
internal sealed class BackgroundWorker : IAsyncDisposable
{
    private readonly IMrqWorker _worker;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Task<WorkerExitReason> _run;

    public BackgroundWorker(IMrqWorker worker)
    {
        _worker = worker;
        _run = Task.Run(() => worker.RunAsync(_stop.Token, _abort.Token));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // Disposal after a failed run: nothing more to save.
            }
        }

        (_worker as IDisposable)?.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
