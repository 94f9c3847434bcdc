using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>Worker reports in <c>mrq_workers</c>, upserted by id.</summary>
internal sealed class LiteDbWorkerStore : IWorkerStore
{
    private readonly LiteDbDatabase _database;

    public LiteDbWorkerStore(LiteDbDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc/>
    public async ValueTask ReportAsync(WorkerReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var doc = WorkerDocuments.ToDocument(report);
        await _database.WriteAsync(database => _database.Collection(LiteDbCollections.Workers).Upsert(doc), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WorkerReport>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reports = _database.Collection(LiteDbCollections.Workers).FindAll().Select(WorkerDocuments.ToReport).ToList();
        return new(reports);
    }

    /// <inheritdoc/>
    public async ValueTask<long> DeleteReportedBeforeAsync(DateTime before, CancellationToken cancellationToken)
    {
        var limit = JobDocuments.Utc(before);
        return await _database.WriteAsync(
            database => (long)_database.Collection(LiteDbCollections.Workers).DeleteMany(Expressions.LessThan(WorkerDocuments.DateReported, limit)),
            cancellationToken).ConfigureAwait(false);
    }
}
