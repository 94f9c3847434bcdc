using Mrq.Workers;

namespace Mrq.Tests.Support;

/// <summary>A worker running in the background of a test, with its stop (SIGINT) and abort (SIGTERM) switches.</summary>
internal sealed class WorkerRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();

    public WorkerRun(IMrqWorker worker)
    {
        Worker = worker;
        Completion = Task.Run(() => worker.RunAsync(_stop.Token, _abort.Token));
    }

    public IMrqWorker Worker { get; }

    public Task<WorkerExitReason> Completion { get; }

    /// <summary>Graceful stop, then waits for the worker to exit.</summary>
    public async Task<WorkerExitReason> StopAsync()
    {
        // Synchronous cancel: when this returns the worker has seen the stop request (CancelAsync would defer it).
        _stop.Cancel();
        return await Completion.WaitAsync(Wait.Long);
    }

    /// <summary>Hard stop (running jobs interrupted), then waits for the worker to exit.</summary>
    public async Task<WorkerExitReason> AbortAsync()
    {
        _abort.Cancel();
        return await Completion.WaitAsync(Wait.Long);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Completion.IsCompleted)
        {
            await _abort.CancelAsync();
            try
            {
                await Completion.WaitAsync(Wait.Long);
            }
            catch (Exception)
            {
                // The test already failed or asserted on this worker; disposal only cleans up.
            }
        }

        (Worker as IDisposable)?.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
