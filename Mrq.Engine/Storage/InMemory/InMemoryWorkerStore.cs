namespace Mrq.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="IWorkerStore"/>. Reports are immutable records; on the way in their lists are copied into
/// read-only wrappers, so the stored reports are deeply immutable and can be handed out as they are.
/// </summary>
internal sealed class InMemoryWorkerStore : IWorkerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkerReport> _reports = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask ReportAsync(WorkerReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var stored = report with
        {
            DateStarted = UtcDates.Utc(report.DateStarted),
            DateReported = UtcDates.Utc(report.DateReported),
            Config = report.Config with { Queues = Array.AsReadOnly(report.Config.Queues.ToArray()) },
            Jobs = Array.AsReadOnly(report.Jobs.Select(static j => j with { DateStarted = UtcDates.Utc(j.DateStarted) }).ToArray()),
        };
        lock (_gate)
        {
            _reports[stored.Id] = stored;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WorkerReport>> ListAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<WorkerReport>>(cancellationToken);
        }

        lock (_gate)
        {
            return new(_reports.Values.ToArray());
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> DeleteReportedBeforeAsync(DateTime before, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        var limit = UtcDates.Utc(before);
        long deleted = 0;
        lock (_gate)
        {
            foreach (var (id, report) in _reports)
            {
                if (report.DateReported < limit)
                {
                    _reports.Remove(id);
                    deleted++;
                }
            }
        }

        return new(deleted);
    }
}
