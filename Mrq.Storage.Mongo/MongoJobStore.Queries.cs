using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoJobStore
{
    /// <summary>Expired jobs deleted per command.</summary>
    internal const int ExpiryBatchSize = 1000;

    /// <summary>The most expiry batches per <see cref="DeleteExpiredAsync"/> call.</summary>
    internal const int MaxExpiryBatches = 50;

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
        var records = new List<JobRecord>(documents.Count);
        foreach (var document in documents)
        {
            try
            {
                records.Add(JobDocumentMapper.ToRecord(document));
            }
            catch (FormatException ex)
            {
                // One document another writer left in a shape MRQ does not know (an unknown status) must not break
                // the page: it is skipped and said.
                _logger.LogWarning("Skipped a {Collection} document in a listing: {Reason}", MongoConnection.JobsCollection, ex.Message);
            }
        }

        return records;
    }

    public async ValueTask<long> CountAsync(JobFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await _jobs.CountDocumentsAsync(JobFilterTranslator.Translate(filter), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// One aggregation: <c>$match</c> the known statuses, then <c>$group</c> by <c>{queue, status}</c> with a count.
    /// The leading <c>$match</c> on <c>status</c> lets a real server walk MRQ's (status, queue, path) index, which
    /// holds both grouped fields, where a bare <c>$group</c> is a collection scan.
    /// </summary>
    public async ValueTask<IReadOnlyList<QueueStatusCount>> CountByQueueAndStatusAsync(CancellationToken cancellationToken)
    {
        var groups = await (await _jobs.AggregateAsync<BsonDocument>(QueueStatusCountPipeline(), cancellationToken: cancellationToken).ConfigureAwait(false))
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
    /// Deletes expired jobs in batches of <see cref="ExpiryBatchSize"/>: read the ids (<c>dateexpires ≤ now</c>, on
    /// the sparse TTL index), then <c>deleteMany({_id ∈ ids, dateexpires ≤ now})</c>, which re-checks the predicate
    /// so a job claimed in between (a claim unsets <c>dateexpires</c>) is kept. At most
    /// <see cref="MaxExpiryBatches"/> batches per call, so one pass stays short (the SPI allows spreading the work
    /// over calls); a real MongoDB also deletes them by itself through the TTL index.
    /// </summary>
    public async ValueTask<long> DeleteExpiredAsync(DateTime now, CancellationToken cancellationToken)
    {
        var expired = s_filter.Lte(MrqJobFields.DateExpires, MongoValues.Date(now));
        var idOnly = Builders<BsonDocument>.Projection.Include(MrqJobFields.Id);
        long deleted = 0;
        for (var batch = 0; batch < MaxExpiryBatches; batch++)
        {
            var ids = await _jobs.Find(expired).Project(idOnly).Limit(ExpiryBatchSize)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (ids.Count == 0)
            {
                break;
            }

            var result = await _jobs.DeleteManyAsync(
                s_filter.And(s_filter.In(MrqJobFields.Id, ids.Select(d => d[MrqJobFields.Id])), expired), cancellationToken)
                .ConfigureAwait(false);
            deleted += result.DeletedCount;
            if (ids.Count < ExpiryBatchSize)
            {
                break;
            }
        }

        return deleted;
    }

    /// <inheritdoc/>
    public async ValueTask<long> DeleteJobsAsync(IReadOnlyCollection<JobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        var result = await _jobs.DeleteManyAsync(
            s_filter.And(
                s_filter.In(MrqJobFields.Id, ids.Select(MongoValues.ToObjectId)),
                s_filter.Ne(MrqJobFields.Status, JobStatus.Started.ToMrqName())),
            cancellationToken).ConfigureAwait(false);
        return result.DeletedCount;
    }

    /// <summary>The pipeline of <see cref="CountByQueueAndStatusAsync"/>.</summary>
    internal static BsonDocument[] QueueStatusCountPipeline() =>
    [
        new BsonDocument("$match", new BsonDocument(
            MrqJobFields.Status, new BsonDocument("$in", new BsonArray(JobStatusNames.All.Select(s => s.ToMrqName()))))),
        new BsonDocument("$group", new BsonDocument
        {
            { "_id", new BsonDocument { { "queue", "$" + MrqJobFields.Queue }, { "status", "$" + MrqJobFields.Status } } },
            { "count", new BsonDocument("$sum", 1) },
        }),
    ];
}
