using Mrq.Workers;

namespace Mrq.Benchmarks.Workloads;

/// <summary>How a timed worker run went.</summary>
/// <param name="Elapsed">From the worker's start until it returned with every outcome saved.</param>
/// <param name="FirstJob">From the worker's start to the first job body, when one ran.</param>
/// <param name="JobsRun">Job bodies that ran.</param>
/// <param name="Reason">Why the worker returned.</param>
/// <param name="Stalled">True when the run was stopped because no job finished for a minute.</param>
internal sealed record WorkerRunResult(TimeSpan Elapsed, TimeSpan? FirstJob, long JobsRun, WorkerExitReason Reason, bool Stalled);
