using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

/// <summary>Job lifecycle: unique keys (a unique partial index) and the next due retry (delayed jobs).</summary>
internal sealed partial class MongoJobStore
{
    /// <summary>Rounds of "read the holder, else insert" before giving up on a key that keeps changing hands.</summary>
    private const int UniqueInsertRounds = 5;

    /// <summary>The statuses holding a unique key, as stored.</summary>
    internal static readonly BsonArray HoldingStatusNames = new(UniqueJobs.HoldingStatuses.Select(s => s.ToMrqName()));

    /// <inheritdoc/>
    /// <remarks>
    /// Reads the job holding the key; when there is none, inserts. The unique partial index on <c>unique_key</c>
    /// over the holding statuses (<see cref="MongoConnection.EnsureIndexesAsync"/>) makes racing inserts of one key
    /// fail but one; a loser reads the winner's id. A server that does not enforce the index (the MongoDB-wire test
    /// server) still dedupes producers that do not race.
    /// </remarks>
    public async ValueTask<JobId> InsertUniqueAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var key = job.UniqueKey ?? throw new ArgumentException("The job has no unique key.", nameof(job));
        BsonDocument document;
        try
        {
            document = JobDocumentMapper.ToDocument(job);
        }
        catch (Exception ex) when (MongoWriteErrors.IsPermanent(ex))
        {
            throw MongoWriteErrors.Permanent("a job", ex);
        }

        for (var round = 1; ; round++)
        {
            // After a lost reply the holder may be this very job: its id is then the answer.
            if (await HolderAsync(key, cancellationToken).ConfigureAwait(false) is { } holder)
            {
                return holder;
            }

            try
            {
                await _jobs.InsertOneAsync(document, null, cancellationToken).ConfigureAwait(false);
                return job.Id;
            }
            catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey && round < UniqueInsertRounds)
            {
                // Another producer took the key first (or an earlier round's insert of this job went in): read it.
            }
            catch (Exception ex) when (MongoWriteErrors.IsPermanent(ex))
            {
                throw MongoWriteErrors.Permanent("a job", ex);
            }
            catch (Exception ex) when (round < UniqueInsertRounds && MongoWriteErrors.IsTransient(ex))
            {
                await Task.Delay(s_insertRetryDelay * round, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<JobId?> HolderAsync(string key, CancellationToken cancellationToken)
    {
        var holder = await _jobs.Find(s_filter.And(s_filter.Eq(MrqJobFields.UniqueKey, key), s_filter.In(MrqJobFields.Status, HoldingStatusNames)))
            .Project(Builders<BsonDocument>.Projection.Include(MrqJobFields.Id))
            .Limit(1)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return holder is null ? null : MongoValues.ToJobId(holder[MrqJobFields.Id].AsObjectId);
    }

    /// <inheritdoc/>
    /// <remarks>One indexed read: the first job in <c>retry</c> by MRQ's sparse <c>dateretry</c> index.</remarks>
    public async ValueTask<DateTime?> NextRetryDateAsync(CancellationToken cancellationToken)
    {
        var first = await _jobs.Find(s_filter.And(
                s_filter.Eq(MrqJobFields.Status, JobStatus.Retry.ToMrqName()),
                s_filter.Exists(MrqJobFields.DateRetry),
                s_filter.Ne(MrqJobFields.DateRetry, BsonNull.Value)))
            .Sort(Builders<BsonDocument>.Sort.Ascending(MrqJobFields.DateRetry))
            .Project(Builders<BsonDocument>.Projection.Include(MrqJobFields.DateRetry))
            .Limit(1)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return first is null ? null : MongoValues.ReadDate(first.GetValue(MrqJobFields.DateRetry, BsonNull.Value));
    }
}
