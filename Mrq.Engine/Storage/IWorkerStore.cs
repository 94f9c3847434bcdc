namespace Mrq.Storage;

/// <summary>Worker reports (MRQ's <c>mrq_workers</c>), upserted every report interval.</summary>
public interface IWorkerStore
{
    /// <summary>Inserts or replaces the report of <see cref="WorkerReport.Id"/>.</summary>
    ValueTask ReportAsync(WorkerReport report, CancellationToken cancellationToken);

    /// <summary>All reports.</summary>
    ValueTask<IReadOnlyList<WorkerReport>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes reports last updated before <paramref name="before"/> (MRQ's TTL on <c>datereported</c>).</summary>
    /// <returns>The number deleted.</returns>
    ValueTask<long> DeleteReportedBeforeAsync(DateTime before, CancellationToken cancellationToken);
}
