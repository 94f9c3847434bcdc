namespace Mrq.Workers;

/// <summary>Creates workers with the host's options and storage.</summary>
public interface IMrqWorkerFactory
{
    /// <summary>Creates a new worker (with a new id). Run it once.</summary>
    IMrqWorker Create();
}
