using Mrq.Jobs;

namespace Mrq.Storage;

/// <summary>Job and worker log lines (MRQ's <c>mrq_logs</c>: <c>{job|worker, logs}</c>).</summary>
public interface IJobLogStore
{
    /// <summary>Appends batches of log lines.</summary>
    ValueTask AppendAsync(IReadOnlyList<LogBatch> batches, CancellationToken cancellationToken);

    /// <summary>All lines logged by a job, in order, joined with newlines (empty when none).</summary>
    ValueTask<string> GetJobLogsAsync(JobId job, CancellationToken cancellationToken);

    /// <summary>Deletes every line logged by these jobs (worker lines are kept).</summary>
    ValueTask DeleteJobLogsAsync(IReadOnlyCollection<JobId> jobs, CancellationToken cancellationToken);
}

/// <summary>Lines logged by one job (or, with no job, by one worker).</summary>
/// <param name="Job">The job, or null for worker lines.</param>
/// <param name="Worker">The worker id.</param>
/// <param name="Lines">Newline-joined lines.</param>
public sealed record LogBatch(JobId? Job, string? Worker, string Lines);
