using System.Runtime.InteropServices;
using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="IJobLogStore"/>: each job's (and each worker's) batches in append order, as MRQ's
/// <c>mrq_logs</c> keeps one document per flushed batch.
/// </summary>
internal sealed class InMemoryJobLogStore : IJobLogStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<JobId, List<string>> _jobLogs = [];
    private readonly Dictionary<string, List<string>> _workerLogs = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask AppendAsync(IReadOnlyList<LogBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        lock (_gate)
        {
            foreach (var batch in batches)
            {
                if (batch?.Lines is not { Length: > 0 } lines)
                {
                    continue;
                }

                if (batch.Job is { } job)
                {
                    (CollectionsMarshal.GetValueRefOrAddDefault(_jobLogs, job, out _) ??= []).Add(lines);
                }
                else if (batch.Worker is { } worker)
                {
                    (CollectionsMarshal.GetValueRefOrAddDefault(_workerLogs, worker, out _) ??= []).Add(lines);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DeleteJobLogsAsync(IReadOnlyCollection<JobId> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        lock (_gate)
        {
            foreach (var job in jobs)
            {
                _jobLogs.Remove(job);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<string> GetJobLogsAsync(JobId job, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<string>(cancellationToken);
        }

        lock (_gate)
        {
            return new(_jobLogs.TryGetValue(job, out var batches) ? string.Join('\n', batches) : string.Empty);
        }
    }
}
