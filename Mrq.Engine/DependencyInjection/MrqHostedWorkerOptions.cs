namespace Mrq.DependencyInjection;

/// <summary>How the hosted worker (<c>AddWorker</c>) behaves inside its host.</summary>
public sealed class MrqHostedWorkerOptions
{
    /// <summary>
    /// Stop the host when its worker fails or ends by itself (e.g. at <c>max_jobs</c>), so an orchestrator restarts the
    /// process instead of keeping a host that processes nothing. Default false: the worker health check reports it.
    /// </summary>
    public bool StopApplicationOnFailure { get; set; }
}
