using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoConnection
{
    // IndexOptionsConflict / IndexKeySpecsConflict: an index on the same keys already exists with other options
    // (e.g. created by an older MRQ's EnsureIndexes). It serves the same queries, so it is kept as it is.
    private static readonly HashSet<int> s_conflictCodes = [85, 86];

    /// <summary>
    /// Creates MRQ's indexes (mrq/basetasks/indexes.py): on <c>mrq_jobs</c> status; path; worker (sparse); queue;
    /// dateexpires (sparse, TTL 0); dateretry (sparse); datequeued; (queue, status, datequeued, _id);
    /// (status, queue, path) — on <c>mrq_workers</c> status; datereported (TTL 3600) — on <c>mrq_logs</c> job;
    /// worker (sparse). Idempotent; an existing index on the same keys with other options is kept.
    /// </summary>
    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        // All at once: each is one round trip, and a worker's first dequeue waits for them (MRQ's suite gives a worker
        // about a second to start).
        var jobs = Builders<BsonDocument>.IndexKeys;
        var schedules = Database.GetCollection<BsonDocument>(MongoScheduleStore.CollectionName);
        await Task.WhenAll(
            CreateAsync(Jobs, jobs.Ascending("status"), null, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("path"), null, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("worker"), new CreateIndexOptions { Sparse = true }, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("queue"), null, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("dateexpires"), new CreateIndexOptions { Sparse = true, ExpireAfter = TimeSpan.Zero }, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("dateretry"), new CreateIndexOptions { Sparse = true }, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("datequeued"), null, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("queue").Ascending("status").Ascending("datequeued").Ascending("_id"), null, cancellationToken),
            CreateAsync(Jobs, jobs.Ascending("status").Ascending("queue").Ascending("path"), null, cancellationToken),
            CreateUniqueKeyIndexAsync(cancellationToken),
            CreateAsync(Workers, jobs.Ascending("status"), null, cancellationToken),
            CreateAsync(Workers, jobs.Ascending("datereported"), new CreateIndexOptions { ExpireAfter = TimeSpan.FromSeconds(3600) }, cancellationToken),
            CreateAsync(Logs, jobs.Ascending("job"), null, cancellationToken),
            CreateAsync(Logs, jobs.Ascending("worker"), new CreateIndexOptions { Sparse = true }, cancellationToken),

            // MRQ's EnsureIndexes: one scheduler state document per hash.
            CreateAsync(schedules, jobs.Ascending("hash"), new CreateIndexOptions { Unique = true }, cancellationToken)).ConfigureAwait(false);

        // After the dateexpires index above exists (or was kept as it was).
        await WarnWhenJobsDoNotExpireAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Unique jobs (not MRQ's): a unique index on <c>unique_key</c> over the jobs holding their key (partial: only
    /// documents with a key in a holding status), so two holders of one key cannot exist. Needs MongoDB 6.0+ (<c>$in</c>
    /// in a partial filter); an older server refuses it, which is logged: keys are then checked but not enforced
    /// against racing producers.
    /// </summary>
    private async Task CreateUniqueKeyIndexAsync(CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter;
        var options = new CreateIndexOptions<BsonDocument>
        {
            Name = "unique_key_holding",
            Unique = true,
            PartialFilterExpression = filter.And(
                filter.Exists(MrqJobFields.UniqueKey),
                filter.In(MrqJobFields.Status, MongoJobStore.HoldingStatusNames)),
        };
        try
        {
            await CreateAsync(Jobs, Builders<BsonDocument>.IndexKeys.Ascending(MrqJobFields.UniqueKey), options, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex)
        {
            _logger.LogWarning("The unique index on {Collection}.{Field} could not be created ({Reason}): unique job keys are checked, but two producers racing on one key may both queue a job.",
                JobsCollection, MrqJobFields.UniqueKey, ex.ErrorMessage);
        }
    }

    private async Task CreateAsync(
        IMongoCollection<BsonDocument> collection,
        IndexKeysDefinition<BsonDocument> keys,
        CreateIndexOptions? options,
        CancellationToken cancellationToken)
    {
        try
        {
            await collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(keys, options), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (s_conflictCodes.Contains(ex.Code))
        {
            // Kept (see s_conflictCodes), but said: the existing index may lack an option MRQ relies on (a TTL).
            _logger.LogWarning(
                "Kept the existing index on {Collection} {Keys}, which has other options than MRQ's: {Reason}",
                collection.CollectionNamespace.CollectionName,
                keys.Render(new RenderArgs<BsonDocument>(collection.DocumentSerializer, collection.Settings.SerializerRegistry)),
                ex.ErrorMessage);
        }
    }

    /// <summary>
    /// Warns when <c>mrq_jobs</c> has an index on <c>dateexpires</c> without <c>expireAfterSeconds</c> (an older
    /// plain index kept by the conflict rule): MongoDB then never expires finished jobs by itself, and only the
    /// maintenance's batched deletes do.
    /// </summary>
    private async Task WarnWhenJobsDoNotExpireAsync(CancellationToken cancellationToken)
    {
        var indexes = await (await Jobs.Indexes.ListAsync(cancellationToken).ConfigureAwait(false))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var index in indexes)
        {
            if (index.GetValue("key", BsonNull.Value) is BsonDocument key
                && key.ElementCount == 1
                && key.Names.First() == MrqJobFields.DateExpires
                && !index.Contains("expireAfterSeconds"))
            {
                _logger.LogWarning(
                    "The index {Index} on {Collection}.{Field} has no expireAfterSeconds: MongoDB will not expire finished jobs by itself, only the maintenance's batched deletes will. Drop it and restart with index creation on to get MRQ's TTL index.",
                    index.GetValue("name", BsonString.Empty).ToString(),
                    JobsCollection,
                    MrqJobFields.DateExpires);
            }
        }
    }
}
