using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoJobStore
{
    /// <summary>Up to this many ids, each is claimed by its own <c>findAndModify</c> (two round trips in all);
    /// above it, by one <c>update</c> of them all and a read back (three round trips, however many jobs).</summary>
    internal const int SingleClaimLimit = 3;

    /// <summary>How many times one call re-reads the queue head after other workers took ids it had read.</summary>
    internal const int MaxContendedRounds = 4;

    /// <summary>
    /// MRQ's dequeue (mrq/queue_regular.py) made batch-friendly, as MRQ's own commented-out optimisation suggests:
    /// read the ids at the head of the queue (<c>find({status: "queued", queue[, path]}, sort [(datequeued, ±1),
    /// (_id, ±1)], projection {_id})</c>, covered by the (queue, status, datequeued, _id) index), then claim exactly
    /// those ids with the same predicate, <c>{$set: {status: "started", datestarted, worker}, $unset:
    /// {dateexpires}}</c>. A few ids are claimed with one <c>findAndModify</c> each (it returns the document);
    /// more with one <c>updateMany</c> and a read back of <c>{_id ∈ ids, status: "started", worker, datestarted}</c>.
    /// Each document's update is atomic and re-checks <c>status: "queued"</c>, so two workers never take the same
    /// job; a worker that read ids another took claims fewer and reads the head again (at most
    /// <see cref="MaxContendedRounds"/> times a call). Unlike concurrent <c>findAndModify</c> on the queue head,
    /// concurrent workers never fight over one document in a storm of write conflicts, and one call holds one
    /// connection. An empty queue costs one read.
    /// </summary>
    /// <remarks>
    /// A claim write once sent is always awaited to its end, even when <paramref name="cancellationToken"/> fires,
    /// and every job it claimed is returned: dropping an answer would leave a job <c>started</c> with nobody running
    /// it. A claim whose answer is lost to an error (the update applied, its read back failed) is released by the
    /// worker's own-claim check. Cancellation only stops further rounds.
    /// </remarks>
    public async ValueTask<IReadOnlyList<JobRecord>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        cancellationToken.ThrowIfCancellationRequested();

        var direction = request.Reverse ? -1 : 1;
        var claim = new ClaimCommand(
            ClaimFilter(request),
            s_update
                .Set(MrqJobFields.Status, JobStatus.Started.ToMrqName())
                .Set(MrqJobFields.DateStarted, MongoValues.Date(request.Now))
                .Set(MrqJobFields.Worker, MongoValues.Worker(request.Worker))
                .Unset(MrqJobFields.DateExpires),
            new BsonDocument { { MrqJobFields.DateQueued, direction }, { MrqJobFields.Id, direction } });

        var claimed = new List<BsonDocument>(Math.Min(request.MaxCount, 256));
        for (var contended = 0; claimed.Count < request.MaxCount && contended <= MaxContendedRounds;)
        {
            var want = request.MaxCount - claimed.Count;
            List<BsonValue> ids;
            try
            {
                ids = await ReadHeadAsync(claim, want).ConfigureAwait(false);
            }
            catch (Exception) when (claimed.Count > 0)
            {
                break;
            }

            if (ids.Count == 0)
            {
                break;
            }

            var before = claimed.Count;
            try
            {
                await ClaimIdsAsync(claim, ids, request, claimed).ConfigureAwait(false);
            }
            catch (Exception) when (claimed.Count > 0)
            {
                // Return what this call claimed so it is run, not stranded.
                break;
            }

            if (ids.Count < want || cancellationToken.IsCancellationRequested)
            {
                // The queue had no more than these at the time of the read.
                break;
            }

            if (claimed.Count - before < ids.Count)
            {
                contended++;
            }
        }

        await FailUnreadableParamsAsync(claimed, request).ConfigureAwait(false);
        var records = claimed.Select(JobDocumentMapper.ToRecord).ToList();
        // The claim order is the queue order.
        records.Sort((a, b) =>
        {
            var byDate = a.DateQueued.CompareTo(b.DateQueued);
            return direction * (byDate != 0 ? byDate : a.Id.CompareTo(b.Id));
        });
        return records;
    }

    private sealed record ClaimCommand(FilterDefinition<BsonDocument> Filter, UpdateDefinition<BsonDocument> Update, BsonDocument Sort);

    private static readonly ProjectionDefinition<BsonDocument> s_idOnly = Builders<BsonDocument>.Projection.Include(MrqJobFields.Id);

    // CancellationToken.None in the commands below on purpose: see ClaimAsync's remarks.
    private async Task<List<BsonValue>> ReadHeadAsync(ClaimCommand claim, int want)
    {
        var heads = await _jobs.Find(claim.Filter).Sort(claim.Sort).Limit(want).Project(s_idOnly)
            .ToListAsync(CancellationToken.None).ConfigureAwait(false);
        return heads.ConvertAll(head => head[MrqJobFields.Id]);
    }

    private async Task ClaimIdsAsync(ClaimCommand claim, List<BsonValue> ids, ClaimRequest request, List<BsonDocument> claimed)
    {
        if (ids.Count <= SingleClaimLimit)
        {
            var options = new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After };
            var commands = ids.ConvertAll(id =>
                _jobs.FindOneAndUpdateAsync(s_filter.And(s_filter.Eq(MrqJobFields.Id, id), claim.Filter), claim.Update, options, CancellationToken.None));
            try
            {
                await Task.WhenAll(commands).ConfigureAwait(false);
            }
            finally
            {
                claimed.AddRange(commands.Where(c => c.IsCompletedSuccessfully && c.Result is not null).Select(c => c.Result));
            }

            return;
        }

        var result = await _jobs.UpdateManyAsync(s_filter.And(s_filter.In(MrqJobFields.Id, ids), claim.Filter), claim.Update, cancellationToken: CancellationToken.None)
            .ConfigureAwait(false);
        if (result.IsAcknowledged && result.ModifiedCount == 0)
        {
            return;
        }

        var mine = s_filter.And(
            s_filter.In(MrqJobFields.Id, ids),
            s_filter.Eq(MrqJobFields.Status, JobStatus.Started.ToMrqName()),
            s_filter.Eq(MrqJobFields.Worker, MongoValues.Worker(request.Worker)),
            s_filter.Eq(MrqJobFields.DateStarted, MongoValues.Date(request.Now)));
        claimed.AddRange(await _jobs.Find(mine).ToListAsync(CancellationToken.None).ConfigureAwait(false));
    }

    private static FilterDefinition<BsonDocument> ClaimFilter(ClaimRequest request)
    {
        var clauses = new List<FilterDefinition<BsonDocument>>
        {
            s_filter.Eq(MrqJobFields.Status, JobStatus.Queued.ToMrqName()),
            s_filter.Eq(MrqJobFields.Queue, request.Queue),
        };
        if (request.PathWhitelist is { } whitelist)
        {
            clauses.Add(s_filter.In(MrqJobFields.Path, whitelist));
        }

        if (request.PathBlacklist is { } blacklist)
        {
            clauses.Add(s_filter.Nin(MrqJobFields.Path, blacklist));
        }

        return s_filter.And(clauses);
    }

    /// <summary>The exception type stored on a job whose <c>params</c> is not a document.</summary>
    internal const string InvalidParamsExceptionType = "InvalidParams";

    /// <summary>
    /// C3: a claimed job whose <c>params</c> is present but not a document (a list or a string another writer
    /// stored) is saved <c>failed</c> with <see cref="InvalidParamsExceptionType"/> (a compare-and-set on this claim)
    /// and removed from the claim, instead of running its task on empty params.
    /// </summary>
    private async Task FailUnreadableParamsAsync(List<BsonDocument> claimed, ClaimRequest request)
    {
        for (var i = claimed.Count - 1; i >= 0; i--)
        {
            var parameters = claimed[i].GetValue(MrqJobFields.Params, BsonNull.Value);
            if (parameters is BsonDocument || parameters.IsBsonNull)
            {
                continue;
            }

            var id = MongoValues.ToJobId(claimed[i][MrqJobFields.Id].AsObjectId);
            var update = s_update
                .Set(MrqJobFields.Status, JobStatus.Failed.ToMrqName())
                .Set(MrqJobFields.ExceptionType, InvalidParamsExceptionType)
                .Set(MrqJobFields.Traceback, $"The job's params is a BSON {parameters.BsonType}, not a document: the task was not run.")
                .Set(MrqJobFields.DateUpdated, MongoValues.Date(request.Now));
            claimed.RemoveAt(i);
            try
            {
                // CancellationToken.None: the job is claimed; it must not be left started by a cancelled call.
                await _jobs.UpdateOneAsync(StartedBy(id, request.Worker, request.Now), update, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException)
            {
                // The other claims are still returned; this job stays started and is requeued like any stuck job.
                _logger.LogWarning("Could not save job {Job} failed ({ExceptionType}): {Reason}", id, InvalidParamsExceptionType, ex.Message);
            }
        }
    }
}
