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

    public MongoWorkerStore(IMongoCollection<BsonDocument> workers)
    {
        _workers = workers;
    }

    public async ValueTask ReportAsync(WorkerReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var filter = Builders<BsonDocument>.Filter.Eq(WorkerReportMapper.Id, MongoValues.Worker(report.Id));
        var update = new BsonDocument("$set", WorkerReportMapper.ToFields(report));
        await _workers.UpdateOneAsync(filter, update, new UpdateOptions { IsUpsert = true }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<WorkerReport>> ListAsync(CancellationToken cancellationToken)
    {
        var documents = await _workers.Find(Builders<BsonDocument>.Filter.Empty)
            .Sort(new BsonDocument(WorkerReportMapper.Id, 1))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return documents.Select(WorkerReportMapper.ToReport).ToList();
    }

    public async ValueTask<long> DeleteReportedBeforeAsync(DateTime before, CancellationToken cancellationToken)
    {
        var result = await _workers.DeleteManyAsync(
            Builders<BsonDocument>.Filter.Lt(WorkerReportMapper.DateReported, MongoValues.Date(before)), cancellationToken)
            .ConfigureAwait(false);
        return result.DeletedCount;
    }
}
