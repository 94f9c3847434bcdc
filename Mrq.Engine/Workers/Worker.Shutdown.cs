using Microsoft.Extensions.Logging;
using Mrq.Storage;

namespace Mrq.Workers;

/// <summary>
/// The stop path: claim until stopped, let the executors run or release what they hold, save every outcome, stop the
/// background loops and report <c>stop</c>. After an abort all of it is bounded by <c>abort_timeout</c> (RunAsync).
/// </summary>
internal sealed partial class Worker
{
    /// <summary>How many unsaved job ids the exit message lists.</summary>
    private const int UnsavedIdsListed = 50;

    private async Task<WorkerExitReason> RunUntilStoppedAsync(StopTokens tokens, Task[] executors, Task[] backgroundLoops, CancellationTokenSource background)
    {
        var reason = await FetchLoopAsync(tokens.Stop).ConfigureAwait(false);
        FailIdleProbe();
        if (reason == WorkerExitReason.Stopped)
        {
            reason = tokens.Aborting.IsCancellationRequested ? WorkerExitReason.Aborted
                : tokens.MaxTime.IsCancellationRequested && !tokens.Stopping.IsCancellationRequested ? WorkerExitReason.MaxTime
                : _memoryStop.IsCancellationRequested && !tokens.Stopping.IsCancellationRequested ? WorkerExitReason.MaxMemory
                : WorkerExitReason.Stopped;
        }

        _status = tokens.Aborting.IsCancellationRequested ? "kill" : "join";
        _channel!.Writer.TryComplete();
        await Task.WhenAll(executors).ConfigureAwait(false);
        await _batcher!.DrainAsync().ConfigureAwait(false);
        await background.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(backgroundLoops).ConfigureAwait(false);
        _status = "stop";
        try
        {
            await ReportAsync(tokens.GiveUp).ConfigureAwait(false);
        }
        catch (Exception ex) when (tokens.GiveUp.IsCancellationRequested || !_saving.IsEmpty)
        {
            // The storage is failing: the jobs not saved are named as the worker exits; the report is only a report.
            _logger.LogWarning("The worker's final report could not be saved ({Error}).", ex.Message);
        }

        return reason;
    }

    /// <summary>
    /// Outcomes never lost silently: jobs still running or whose outcome was not saved when the worker gives up
    /// (abort past abort_timeout with the storage unreachable) stay <c>started</c> in the storage, where recovery
    /// requeues them. They are logged with their ids and reported to the caller.
    /// </summary>
    /// <exception cref="MrqStorageException">Some outcomes were not saved.</exception>
    private void ThrowIfOutcomesUnsaved()
    {
        var unsaved = _saving.Keys.Concat(_running.Keys).Distinct().ToArray();
        if (unsaved.Length == 0)
        {
            return;
        }

        var message = $"{unsaved.Length} outcomes not saved (the storage did not take them within abort_timeout, {_options.AbortTimeout:0.###} s); " +
            "those jobs stay started and are recovered by maintenance/reopen.";
        _logger.LogError("Worker {Name} ({Id}) stopped: {Message} Jobs: {Ids}", Name, Id, message,
            string.Join(", ", unsaved.Take(UnsavedIdsListed)) + (unsaved.Length > UnsavedIdsListed ? ", …" : string.Empty));
        throw new MrqStorageException(message);
    }

    /// <summary>The tokens of one run: the caller's stop and abort, max_time, their union, and the abort deadline.</summary>
    private readonly record struct StopTokens(CancellationToken Stopping, CancellationToken Aborting, CancellationToken MaxTime, CancellationToken Stop, CancellationToken GiveUp);
}
