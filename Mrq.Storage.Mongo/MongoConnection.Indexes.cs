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
        var jobs = Builders<BsonDocument>.IndexKeys;
        await CreateAsync(Jobs, jobs.Ascending("status"), null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Jobs, jobs.Ascending("path"), null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Jobs, jobs.Ascending("worker"), new CreateIndexOptions { Sparse = true }, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Jobs, jobs.Ascending("queue"), null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(
            Jobs, jobs.Ascending("dateexpires"), new CreateIndexOptions { Sparse = true, ExpireAfter = TimeSpan.Zero }, cancellationToken)
            .ConfigureAwait(false);
        await CreateAsync(Jobs, jobs.Ascending("dateretry"), new CreateIndexOptions { Sparse = true }, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Jobs, jobs.Ascending("datequeued"), null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(
            Jobs,
            jobs.Ascending("queue").Ascending("status").Ascending("datequeued").Ascending("_id"),
            null,
            cancellationToken).ConfigureAwait(false);
        await CreateAsync(Jobs, jobs.Ascending("status").Ascending("queue").Ascending("path"), null, cancellationToken).ConfigureAwait(false);

        await CreateAsync(Workers, jobs.Ascending("status"), null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(
            Workers, jobs.Ascending("datereported"), new CreateIndexOptions { ExpireAfter = TimeSpan.FromSeconds(3600) }, cancellationToken)
            .ConfigureAwait(false);

        await CreateAsync(Logs, jobs.Ascending("job"), null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Logs, jobs.Ascending("worker"), new CreateIndexOptions { Sparse = true }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CreateAsync(
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
            // Kept: see s_conflictCodes.
        }
    }
}
