namespace Mrq.Benchmarks.Report;

/// <summary>One goal from the issues, with what was measured and whether it is met (null: not measured).</summary>
internal sealed record Target(string Goal, string Measured, bool? Met, string Detail);
