using Mrq.Storage;

namespace Mrq.Monitoring;

/// <summary>A worker report with what monitoring derives from it.</summary>
/// <param name="Report">The stored report (MRQ's <c>mrq_workers</c> document).</param>
/// <param name="LastReportAge">Time since <c>datereported</c>.</param>
/// <param name="IsStale">True when the last report is older than <see cref="IMrqMonitor.StaleAfter"/>: the worker is probably gone.</param>
public sealed record WorkerStatus(WorkerReport Report, TimeSpan LastReportAge, bool IsStale);
