using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoJobStore
{
    public async ValueTask<IReadOnlyList<JobRecord>> QueryAsync(JobFilter filter, int skip, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        var documents = await _jobs.Find(JobFilterTranslator.Translate(filter))
            .Sort(new BsonDocument(MrqJobFields.Id, -1))
            .Skip(skip)
            .Limit(limit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return documents.Select(JobDocumentMapper.ToRecord).ToList();
    }

    public async ValueTask<long> CountAsync(JobFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await _jobs.CountDocumentsAsync(JobFilterTranslator.Translate(filter), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>One aggregation: <c>$group</c> by <c>{queue, status}</c> with a count; unknown statuses are left out.</summary>
    public async ValueTask<IReadOnlyList<QueueStatusCount>> CountByQueueAndStatusAsync(CancellationToken cancellationToken)
    {
        var pipeline = new[]
        {
            new BsonDocument("$group", new BsonDocument
            {
                { "_id", new BsonDocument { { "queue", "$" + MrqJobFields.Queue }, { "status", "$" + MrqJobFields.Status } } },
                { "count", new BsonDocument("$sum", 1) },
            }),
        };
        var groups = await (await _jobs.AggregateAsync<BsonDocument>(pipeline, cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = new List<QueueStatusCount>(groups.Count);
        foreach (var group in groups)
        {
            var key = group["_id"].AsBsonDocument;
            if (MongoValues.ReadString(key.GetValue("queue", BsonNull.Value)) is { } queue
                && JobStatusNames.TryParse(MongoValues.ReadString(key.GetValue("status", BsonNull.Value)), out var status))
            {
                counts.Add(new QueueStatusCount(queue, status, (long)(MongoValues.ReadDouble(group["count"]) ?? 0)));
            }
        }

        return counts;
    }

    /// <summary>MRQ's subqueue discovery: <c>distinct("queue")</c> over queues starting with the prefix, sorted.</summary>
    public async ValueTask<IReadOnlyList<string>> DistinctQueuesAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var cursor = await _jobs.DistinctAsync<BsonValue>(MrqJobFields.Queue, JobFilterTranslator.QueuePrefixClause(prefix), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var values = await cursor.ToListAsync(cancellationToken).ConfigureAwait(false);
        var queues = values.OfType<BsonString>().Select(v => v.Value).Distinct(StringComparer.Ordinal).ToList();
        queues.Sort(StringComparer.Ordinal);
        return queues;
    }

    /// <summary>
    /// <c>deleteMany({dateexpires: {$lte: now}})</c>. A real MongoDB also deletes them by itself through the TTL index
    /// on <c>dateexpires</c>; this makes expiry exact and works where no TTL monitor runs.
    /// </summary>
    public async ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken)
    {
        var result = await _jobs.DeleteManyAsync(s_filter.Lte(MrqJobFields.DateExpires, MongoValues.Date(now)), cancellationToken)
            .ConfigureAwait(false);
        return result.DeletedCount;
    }
}
