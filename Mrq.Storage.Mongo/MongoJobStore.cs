using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

/// <summary>
/// <see cref="IJobStore"/> on MRQ's <c>mrq_jobs</c> collection. Each job's state change is one MongoDB document
/// write (findOneAndUpdate, or an update filtered on the expected status and worker), so MongoDB's per-document
/// atomicity is the compare-and-set; batches go out as bulk writes or as concurrent single-document commands.
/// </summary>
internal sealed partial class MongoJobStore : IJobStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> s_filter = Builders<BsonDocument>.Filter;
    private static readonly UpdateDefinitionBuilder<BsonDocument> s_update = Builders<BsonDocument>.Update;

    /// <summary>Attempts of one insert whose failure may have left it partly applied.</summary>
    internal const int InsertAttempts = 3;

    private static readonly TimeSpan s_insertRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly IMongoCollection<BsonDocument> _jobs;
    private readonly ILogger _logger;

    public MongoJobStore(IMongoCollection<BsonDocument> jobs, ILogger? logger = null)
    {
        // Job reads decide requeues and outcome read-backs: never from a lagging secondary.
        _jobs = jobs.WithReadPreference(ReadPreference.Primary);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// MRQ's queue_jobs: one unordered insert_many (the driver splits it by the server's batch limits). A failure
    /// that may have written part of the batch (lost connection or reply, step-down, write-concern error) is retried
    /// up to <see cref="InsertAttempts"/> times with the same documents and ids, and a duplicate key on <c>_id</c> counts
    /// as written, so a retried enqueue never makes duplicates.
    /// </summary>
    /// <exception cref="MrqStorageException">A document cannot be stored at all (<see cref="MrqStorageException.IsPermanent"/>):
    /// over 16 MB, or not serializable.</exception>
    public async ValueTask InsertAsync(IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        var documents = new BsonDocument[jobs.Count];
        try
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                documents[i] = JobDocumentMapper.ToDocument(jobs[i]);
            }
        }
        catch (Exception ex) when (MongoWriteErrors.IsPermanent(ex))
        {
            throw MongoWriteErrors.Permanent("a job", ex);
        }

        var options = new InsertManyOptions { IsOrdered = false };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _jobs.InsertManyAsync(documents, options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MongoBulkWriteException ex) when (MongoWriteErrors.OnlyDuplicateIds(ex))
            {
                // Written by an earlier attempt (or an earlier call with the same ids): the rest went in now.
                return;
            }
            catch (Exception ex) when (MongoWriteErrors.IsPermanent(ex))
            {
                throw MongoWriteErrors.Permanent($"{jobs.Count} job(s)", ex);
            }
            catch (Exception ex) when (attempt < InsertAttempts && MongoWriteErrors.IsTransient(ex))
            {
                await Task.Delay(s_insertRetryDelay * attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask SaveProgressAsync(IReadOnlyList<JobProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Count == 0)
        {
            return;
        }

        var models = progress
            .Select(p => new UpdateOneModel<BsonDocument>(
                StartedBy(p.Id, p.Worker, p.DateStarted),
                s_update.Set(MrqJobFields.Progress, MongoValues.Progress(p.Progress))))
            .ToArray();
        await _jobs.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<JobRecord>> GetAsync(IReadOnlyList<JobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var documents = await _jobs.Find(s_filter.In(MrqJobFields.Id, MongoValues.ToObjectIds(ids)))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byId = new Dictionary<JobId, JobRecord>(documents.Count);
        foreach (var document in documents)
        {
            var record = JobDocumentMapper.ToRecord(document);
            byId[record.Id] = record;
        }

        // In the order asked for, each id once.
        var result = new List<JobRecord>(byId.Count);
        foreach (var id in ids)
        {
            if (byId.Remove(id, out var record))
            {
                result.Add(record);
            }
        }

        return result;
    }

    /// <summary>
    /// The compare-and-set filter of every write by a worker, its claim token: the job is still <c>started</c> by it,
    /// with the <c>datestarted</c> of its claim when known (<c>{_id, status: "started", worker, datestarted}</c>).
    /// </summary>
    private static FilterDefinition<BsonDocument> StartedBy(JobId id, string worker, DateTime? dateStarted)
    {
        var filter = s_filter.And(
            s_filter.Eq(MrqJobFields.Id, MongoValues.ToObjectId(id)),
            s_filter.Eq(MrqJobFields.Status, JobStatus.Started.ToMrqName()),
            s_filter.Eq(MrqJobFields.Worker, MongoValues.Worker(worker)));
        return dateStarted is { } started
            ? s_filter.And(filter, s_filter.Eq(MrqJobFields.DateStarted, MongoValues.Date(started)))
            : filter;
    }
}
