namespace Mrq.Storage;

/// <summary>Worker reports (MRQ's <c>mrq_workers</c>), upserted every report interval.</summary>
public interface IWorkerStore
{
    /// <summary>Inserts or replaces the report of <see cref="WorkerReport.Id"/>.</summary>
    ValueTask ReportAsync(WorkerReport report, CancellationToken cancellationToken);

    /// <summary>All reports.</summary>
    ValueTask<IReadOnlyList<WorkerReport>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The ids of the workers alive by MRQ's rule: a report exists, its status is not <c>stop</c>, and it was
    /// updated within <paramref name="lease"/>, judged on the storage's clock. The default compares with
    /// <paramref name="now"/> (the caller's TimeProvider, right for an embedded storage); a server storage overrides it
    /// to use the server's clock for both the report time and now.
    /// </summary>
    async ValueTask<IReadOnlyList<string>> ListAliveAsync(TimeSpan lease, DateTime now, CancellationToken cancellationToken)
    {
        var reports = await ListAsync(cancellationToken).ConfigureAwait(false);
        return reports.Where(r => r.Status != WorkerReport.StopStatus && r.DateReported >= now - lease).Select(r => r.Id).ToArray();
    }

    /// <summary>Deletes reports last updated before <paramref name="before"/> (MRQ's TTL on <c>datereported</c>).</summary>
    /// <returns>The number deleted.</returns>
    ValueTask<long> DeleteReportedBeforeAsync(DateTime before, CancellationToken cancellationToken);
}
