using Mrq.Jobs;

namespace Mrq.Monitoring;

/// <summary>Jobs of one task path in one status, with run times (<c>totaltime</c>) where jobs recorded one.</summary>
/// <param name="Path">The task path.</param>
/// <param name="Status">The status.</param>
/// <param name="Count">How many jobs.</param>
/// <param name="AverageSeconds">Mean <c>totaltime</c>, or null when none recorded one.</param>
/// <param name="P95Seconds">95th percentile <c>totaltime</c> (nearest rank), or null.</param>
public sealed record TaskStats(string Path, JobStatus Status, long Count, double? AverageSeconds, double? P95Seconds);

/// <summary>Per-task statistics.</summary>
/// <param name="Tasks">One row per path and status, by path.</param>
/// <param name="Truncated">True when only the newest <see cref="IMrqMonitor.ScanLimit"/> jobs were read.</param>
public sealed record TaskStatsReport(IReadOnlyList<TaskStats> Tasks, bool Truncated);
