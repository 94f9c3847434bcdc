namespace Mrq.Workers;

/// <summary>
/// A worker: claims jobs from its queues and runs them on N concurrent "greenlets". Create one with
/// <see cref="IMrqWorkerFactory"/>, or let <c>AddWorker()</c> host it.
/// </summary>
public interface IMrqWorker : Context.IWorkerInfo
{
    /// <summary>
    /// Runs until stopped or a limit is reached. <paramref name="stopping"/> (SIGINT): claim nothing new and let
    /// running jobs finish. <paramref name="aborting"/> (SIGTERM or a second SIGINT): cancel running jobs and save
    /// them <c>interrupt</c>. Either way every outcome is saved before this returns.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Invalid options.</exception>
    /// <exception cref="Storage.MrqStorageException">The storage cannot be used.</exception>
    Task<WorkerExitReason> RunAsync(CancellationToken stopping, CancellationToken aborting);

    /// <summary>The worker's current status (init, wait, full, join, kill, stop).</summary>
    string Status { get; }
}
