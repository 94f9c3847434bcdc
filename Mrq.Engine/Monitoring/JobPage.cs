using Mrq.Jobs;

namespace Mrq.Monitoring;

/// <summary>One page of a job search.</summary>
/// <param name="Jobs">The jobs of the page.</param>
/// <param name="Total">How many jobs match (of those scanned, when <paramref name="Truncated"/>).</param>
/// <param name="Truncated">True when the search stopped after <see cref="IMrqMonitor.ScanLimit"/> jobs, so later matches are missing.</param>
public sealed record JobPage(IReadOnlyList<JobRecord> Jobs, long Total, bool Truncated);

/// <summary>A job with its stored log lines.</summary>
/// <param name="Job">The job.</param>
/// <param name="Logs">Its log lines, newline-joined (empty when none).</param>
public sealed record JobDetails(JobRecord Job, string Logs);
