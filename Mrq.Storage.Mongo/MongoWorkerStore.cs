using MongoDB.Bson;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

/// <summary>
/// <see cref="IWorkerStore"/> on MRQ's <c>mrq_workers</c>: each report is an upsert <c>$set</c> on the document
/// whose <c>_id</c> is the worker's ObjectId, in MRQ's report shape (reference §2.3). A real MongoDB also deletes
/// reports an hour after <c>datereported</c> through the TTL index.
/// </summary>
internal sealed class MongoWorkerStore : IWorkerStore
{
    private readonly IMongoCollection<BsonDocument> _workers;

    // Liveness decides requeues: never read it from a lagging secondary.
    private readonly IMongoCollection<BsonDocument> _primaryWorkers;

    public MongoWorkerStore(IMongoCollection<BsonDocument> workers)
    {
        _workers = workers;
        _primaryWorkers = workers.WithReadPreference(ReadPreference.Primary);
    }

    public async ValueTask ReportAsync(WorkerReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var filter = Builders<BsonDocument>.Filter.Eq(WorkerReportMapper.Id, MongoValues.Worker(report.Id));
        // datereported is the server's time ($currentDate), so liveness never depends on a worker's clock.
        var fields = WorkerReportMapper.ToFields(report);
        fields.Remove(WorkerReportMapper.DateReported);
        var update = new BsonDocument
        {
            { "$set", fields },
            { "$currentDate", new BsonDocument(WorkerReportMapper.DateReported, new BsonDocument("$type", "date")) },
        };
        await _workers.UpdateOneAsync(filter, update, new UpdateOptions { IsUpsert = true }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<WorkerReport>> ListAsync(CancellationToken cancellationToken)
    {
        var documents = await _workers.Find(Builders<BsonDocument>.Filter.Empty)
            .Sort(new BsonDocument(WorkerReportMapper.Id, 1))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return documents.Select(WorkerReportMapper.ToReport).ToList();
    }

    /// <summary>
    /// Alive by MRQ's rule on the server's clock: reports stamped by the server (<c>$currentDate</c>) compared with the
    /// server's current time (<c>hello.localTime</c>), read from the primary; <paramref name="now"/> is used only when the
    /// server does not tell its time.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> ListAliveAsync(TimeSpan lease, DateTime now, CancellationToken cancellationToken)
    {
        var serverNow = await ServerTimeAsync(cancellationToken).ConfigureAwait(false) ?? now;
        var filter = Builders<BsonDocument>.Filter.And(
            Builders<BsonDocument>.Filter.Ne("status", WorkerReport.StopStatus),
            Builders<BsonDocument>.Filter.Gte(WorkerReportMapper.DateReported, MongoValues.Date(serverNow - lease)));
        var documents = await _primaryWorkers.Find(filter)
            .Project(Builders<BsonDocument>.Projection.Include(WorkerReportMapper.Id))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return documents
            .Select(d => MongoValues.ReadWorker(d.GetValue(WorkerReportMapper.Id, BsonNull.Value)))
            .OfType<string>()
            .ToArray();
    }

    private async Task<DateTime?> ServerTimeAsync(CancellationToken cancellationToken)
    {
        var reply = await _workers.Database.RunCommandAsync<BsonDocument>(
            new BsonDocument("hello", 1), ReadPreference.Primary, cancellationToken).ConfigureAwait(false);
        return reply.GetValue("localTime", BsonNull.Value) is BsonDateTime time ? time.ToUniversalTime() : null;
    }

    public async ValueTask<long> DeleteReportedBeforeAsync(DateTime before, CancellationToken cancellationToken)
    {
        var result = await _workers.DeleteManyAsync(
            Builders<BsonDocument>.Filter.Lt(WorkerReportMapper.DateReported, MongoValues.Date(before)), cancellationToken)
            .ConfigureAwait(false);
        return result.DeletedCount;
    }
}
