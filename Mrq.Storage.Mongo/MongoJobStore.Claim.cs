using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoJobStore
{
    /// <summary>The most claim commands in flight at once for one call (the driver's pool defaults to 100 connections).</summary>
    internal const int MaxClaimWave = 32;

    /// <summary>
    /// MRQ's dequeue (mrq/queue_regular.py): per job one <c>find_one_and_update({status: "queued", queue[, path]},
    /// sort [(datequeued, ±1), (_id, ±1)], {$set: {status: "started", datestarted, worker}, $unset: {dateexpires}},
    /// return AFTER)</c>, so each claim is atomic on its document and two workers never take the same job.
    /// Batching: instead of MaxCount sequential round trips, the commands go out in concurrent waves of 1, 2, 4…
    /// (at most <see cref="MaxClaimWave"/>) until MaxCount are issued or one finds nothing. An empty queue costs one
    /// command, as in MRQ; a deep queue fills a batch of N in about log2(N) round trips.
    /// </summary>
    /// <remarks>
    /// A claim command once sent is always awaited to its end, even when <paramref name="cancellationToken"/> fires,
    /// and every job it claimed is returned: dropping an answer would leave a job <c>started</c> with nobody running
    /// it. Cancellation only stops further waves.
    /// </remarks>
    public async ValueTask<IReadOnlyList<JobRecord>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        cancellationToken.ThrowIfCancellationRequested();

        var filter = ClaimFilter(request);
        var update = s_update
            .Set(MrqJobFields.Status, JobStatus.Started.ToMrqName())
            .Set(MrqJobFields.DateStarted, MongoValues.Date(request.Now))
            .Set(MrqJobFields.Worker, MongoValues.Worker(request.Worker))
            .Unset(MrqJobFields.DateExpires);
        var direction = request.Reverse ? -1 : 1;
        var options = new FindOneAndUpdateOptions<BsonDocument>
        {
            Sort = new BsonDocument { { MrqJobFields.DateQueued, direction }, { MrqJobFields.Id, direction } },
            ReturnDocument = ReturnDocument.After,
        };

        var claimed = new List<BsonDocument>(Math.Min(request.MaxCount, 256));
        var issued = 0;
        var wave = 1;
        var exhausted = false;
        while (!exhausted && issued < request.MaxCount)
        {
            var count = Math.Min(wave, request.MaxCount - issued);
            var commands = new Task<BsonDocument?>[count];
            for (var i = 0; i < count; i++)
            {
                // CancellationToken.None on purpose: see remarks.
                commands[i] = ClaimOneAsync(filter, update, options);
            }

            issued += count;
            BsonDocument?[] results;
            try
            {
                results = await Task.WhenAll(commands).ConfigureAwait(false);
            }
            catch (Exception) when (claimed.Count > 0 || commands.Any(c => c.IsCompletedSuccessfully && c.Result is not null))
            {
                // Some commands failed but others claimed jobs: return those so they are run, not stranded.
                claimed.AddRange(commands.Where(c => c.IsCompletedSuccessfully && c.Result is not null).Select(c => c.Result!));
                break;
            }

            foreach (var document in results)
            {
                if (document is null)
                {
                    exhausted = true;
                }
                else
                {
                    claimed.Add(document);
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            wave = Math.Min(wave * 2, MaxClaimWave);
        }

        await FailUnreadableParamsAsync(claimed, request).ConfigureAwait(false);
        var records = claimed.Select(JobDocumentMapper.ToRecord).ToList();
        // Concurrent commands of one wave finish in any order; the claim order is the queue order.
        records.Sort((a, b) =>
        {
            var byDate = a.DateQueued.CompareTo(b.DateQueued);
            return direction * (byDate != 0 ? byDate : a.Id.CompareTo(b.Id));
        });
        return records;
    }

    private Task<BsonDocument?> ClaimOneAsync(
        FilterDefinition<BsonDocument> filter, UpdateDefinition<BsonDocument> update, FindOneAndUpdateOptions<BsonDocument> options) =>
        _jobs.FindOneAndUpdateAsync(filter, update, options, CancellationToken.None)!;

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
