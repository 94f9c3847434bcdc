using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoJobStore
{
    private const int DuplicateKeyCode = 11000;

    /// <summary>
    /// Writes outcomes as one unordered bulk of <c>updateOne({_id, status: "started", worker}, …)</c>: each is a
    /// compare-and-set on its document. The bulk result only counts matches, so when some did not match, the jobs
    /// are read back and an outcome counts as applied when its document shows it (see <see cref="Shows"/>).
    /// Outcomes with <see cref="JobOutcome.InsertIfMissing"/> are upserts; when the document exists but is not
    /// started by the worker, the upsert's insert hits the duplicate <c>_id</c> and the outcome is not applied. The
    /// same job twice in one call is written in order, in separate bulks.
    /// </summary>
    public async ValueTask<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var applied = new bool[outcomes.Count];
        // An outcome the status table does not allow after started is never applied (it stays false).
        var pending = Enumerable.Range(0, outcomes.Count).Where(i => JobStateMachine.CanTransition(JobStatus.Started, outcomes[i].Status)).ToList();
        while (pending.Count > 0)
        {
            // First occurrence of each job in this round; repeats wait for the next round, after it.
            var seen = new HashSet<JobId>();
            var round = new List<int>(pending.Count);
            var later = new List<int>();
            foreach (var index in pending)
            {
                (seen.Add(outcomes[index].Id) ? round : later).Add(index);
            }

            await CompleteRoundAsync(outcomes, round, applied, cancellationToken).ConfigureAwait(false);
            pending = later;
        }

        return applied;
    }

    private async Task CompleteRoundAsync(IReadOnlyList<JobOutcome> outcomes, List<int> round, bool[] applied, CancellationToken cancellationToken)
    {
        var models = BuildModels(outcomes, round);
        var known = new bool?[round.Count];
        long matched;
        try
        {
            var result = await _jobs.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = false }, cancellationToken)
                .ConfigureAwait(false);

            // An unacknowledged write (w=0) tells nothing: every outcome is resolved by reading the jobs back.
            matched = result.IsAcknowledged ? result.MatchedCount : -1;
            if (result.IsAcknowledged)
            {
                foreach (var upsert in result.Upserts)
                {
                    known[upsert.Index] = true;
                }
            }
        }
        catch (FormatException ex)
        {
            // The driver refuses a message over the server's size limits (a result or traceback over 16 MB).
            throw new MrqStorageException($"Saving {round.Count} job outcomes failed for a reason a retry cannot fix: {ex.Message}", ex, isPermanent: true);
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteConcernError is not null)
        {
            // The writes may or may not survive (a majority not reached, a failover): never count them as applied.
            // Re-sending is safe, each outcome being a compare-and-set on its claim token.
            throw new MrqStorageException($"Saving {round.Count} job outcomes hit a write concern error ({ex.WriteConcernError.Code}: {ex.WriteConcernError.Message}); they are not counted as saved.", ex);
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteErrors.Any(IsPermanent))
        {
            var error = ex.WriteErrors.First(IsPermanent);
            throw new MrqStorageException($"Saving job outcomes failed for a reason a retry cannot fix ({error.Code}: {error.Message}).", ex, isPermanent: true);
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteErrors.All(e => IsLostUpsert(e, outcomes, round)))
        {
            matched = ex.Result.IsAcknowledged ? ex.Result.MatchedCount : -1;
            foreach (var upsert in ex.Result.Upserts)
            {
                known[upsert.Index] = true;
            }

            foreach (var error in ex.WriteErrors)
            {
                known[error.Index] = false;
            }
        }

        var unknown = Enumerable.Range(0, round.Count).Where(i => known[i] is null).ToList();
        if (matched == unknown.Count)
        {
            // Every remaining update matched its document: all applied.
            foreach (var i in unknown)
            {
                known[i] = true;
            }
        }
        else if (unknown.Count > 0)
        {
            await ResolveByReadingAsync(outcomes, round, unknown, known, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < round.Count; i++)
        {
            applied[round[i]] = known[i] ?? false;
        }
    }

    private async Task ResolveByReadingAsync(
        IReadOnlyList<JobOutcome> outcomes, List<int> round, List<int> unknown, bool?[] known, CancellationToken cancellationToken)
    {
        var ids = unknown.Select(i => outcomes[round[i]].Id).ToArray();
        var projection = Builders<BsonDocument>.Projection
            .Include(MrqJobFields.Status).Include(MrqJobFields.Worker).Include(MrqJobFields.DateUpdated).Include(MrqJobFields.TotalTime);
        var documents = await _jobs.Find(s_filter.In(MrqJobFields.Id, MongoValues.ToObjectIds(ids)))
            .Project(projection)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byId = documents.ToDictionary(d => MongoValues.ToJobId(d[MrqJobFields.Id].AsObjectId));
        foreach (var i in unknown)
        {
            var outcome = outcomes[round[i]];
            known[i] = byId.TryGetValue(outcome.Id, out var document) && Shows(document, outcome);
        }
    }

    /// <summary>
    /// Whether a document read back after the bulk shows that the outcome was written. The bulk's counts cannot
    /// say which updates matched, and the job may move again before the read (requeued by a job action, claimed
    /// again after an immediate retry), so besides what the outcome wrote (status, worker, dateupdated to the
    /// millisecond), the fields later writers leave alone count: a claim changes status, worker and datestarted
    /// but keeps dateupdated; a job action changes status and dates but keeps the worker; neither touches
    /// totaltime. So the outcome's totaltime (a measured duration, equal to another run's only by chance) with its
    /// dateupdated or its worker shows it too. A job moved twice before the read (an action, then a claim), or run
    /// and saved again, no longer shows it and is reported not applied: per-update match results do not exist
    /// before MongoDB 8.0's bulkWrite command, and single-document writes for every outcome would end the one
    /// round trip of the normal path.
    /// </summary>
    private static bool Shows(BsonDocument document, JobOutcome outcome)
    {
        var sameWorker = MongoValues.ReadWorker(document.GetValue(MrqJobFields.Worker, BsonNull.Value)) == outcome.Worker;
        var sameDate = MongoValues.ReadDate(document.GetValue(MrqJobFields.DateUpdated, BsonNull.Value)) == MongoValues.ToMilliseconds(outcome.DateUpdated);
        if (sameWorker && sameDate && MongoValues.ReadString(document.GetValue(MrqJobFields.Status, BsonNull.Value)) == outcome.Status.ToMrqName())
        {
            return true;
        }

        return outcome.TotalTime is { } totalTime
            && MongoValues.ReadDouble(document.GetValue(MrqJobFields.TotalTime, BsonNull.Value)) == totalTime
            && (sameWorker || sameDate);
    }

    /// <summary>Server error codes a retry cannot fix: document too large (10334, 17419, 17420), invalid BSON (22).</summary>
    private static readonly int[] s_permanentCodes = [10334, 17419, 17420, 22];

    private static bool IsPermanent(BulkWriteError error) => s_permanentCodes.Contains(error.Code);

    /// <summary>
    /// The round's write models. An outcome that cannot be turned into BSON fails the same way on every retry:
    /// reported as a permanent error so the batcher stops retrying it.
    /// </summary>
    private static UpdateOneModel<BsonDocument>[] BuildModels(IReadOnlyList<JobOutcome> outcomes, List<int> round)
    {
        var models = new UpdateOneModel<BsonDocument>[round.Count];
        for (var i = 0; i < round.Count; i++)
        {
            var outcome = outcomes[round[i]];
            try
            {
                models[i] = ToWriteModel(outcome);
            }
            catch (Exception ex) when (ex is BsonSerializationException or FormatException or InvalidOperationException)
            {
                throw new MrqStorageException($"The outcome of job {outcome.Id} cannot be stored in MongoDB: {ex.Message}", ex, isPermanent: true);
            }
        }

        return models;
    }

    private static bool IsLostUpsert(BulkWriteError error, IReadOnlyList<JobOutcome> outcomes, List<int> round) =>
        error.Index < round.Count
        && outcomes[round[error.Index]].InsertIfMissing is not null
        && (error.Code == DuplicateKeyCode
            || error.Category == ServerErrorCategory.DuplicateKey
            || error.Message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase));

    /// <summary>The compare-and-set update that saves one outcome (an upsert for a raw job not stored).</summary>
    internal static UpdateOneModel<BsonDocument> ToWriteModel(JobOutcome outcome)
    {
        var set = new BsonDocument
        {
            { MrqJobFields.Status, outcome.Status.ToMrqName() },
            { MrqJobFields.DateUpdated, MongoValues.Date(outcome.DateUpdated) },
        };
        var unset = new BsonDocument();
        if (outcome.Result is not null)
        {
            set.Add(MrqJobFields.Result, BsonJson.ToBson(outcome.Result));
        }

        AddIfSet(set, MrqJobFields.TotalTime, outcome.TotalTime);
        AddIfSet(set, MrqJobFields.Time, outcome.Time);
        if (outcome.Switches is { } switches)
        {
            set.Add(MrqJobFields.Switches, switches);
        }

        if (outcome.DateExpires is { } expires)
        {
            set.Add(MrqJobFields.DateExpires, MongoValues.Date(expires));
        }
        else
        {
            unset.Add(MrqJobFields.DateExpires, 1);
        }

        AddIfSet(set, MrqJobFields.DateRetry, outcome.DateRetry);
        AddIfSet(set, MrqJobFields.DateQueued, outcome.DateQueued);
        AddIfSet(set, MrqJobFields.Queue, outcome.Queue);
        if (outcome.RetryCount is { } retryCount)
        {
            set.Add(MrqJobFields.RetryCount, retryCount);
        }

        if (outcome.Progress is { } progress)
        {
            // MRQ writes its final progress as the int 1; a double 1.0 would read back in Python as a float.
            set.Add(MrqJobFields.Progress, MongoValues.Progress(progress));
        }
        AddIfSet(set, MrqJobFields.ExceptionType, outcome.ExceptionType);
        AddIfSet(set, MrqJobFields.Traceback, outcome.Traceback);

        var update = new BsonDocument("$set", set);
        if (unset.ElementCount > 0)
        {
            update.Add("$unset", unset);
        }

        if (outcome.TracebackEntry is { } entry)
        {
            update.Add("$push", new BsonDocument(MrqJobFields.TracebackHistory, JobDocumentMapper.ToDocument(entry)));
        }

        var filter = StartedBy(outcome.Id, outcome.Worker, outcome.DateStarted);
        if (outcome.InsertIfMissing is not { } record)
        {
            return new UpdateOneModel<BsonDocument>(filter, update);
        }

        // Upsert: the filter's equalities (_id, status, worker[, datestarted]) seed the new document, $set and $push apply, and
        // $setOnInsert adds the record's other fields (never one the update already writes).
        var onInsert = new BsonDocument();
        foreach (var element in JobDocumentMapper.ToDocument(record))
        {
            if (element.Name is MrqJobFields.Id or MrqJobFields.Status or MrqJobFields.Worker
                || (element.Name == MrqJobFields.DateStarted && outcome.DateStarted is not null)
                || set.Contains(element.Name)
                || unset.Contains(element.Name)
                || (element.Name == MrqJobFields.TracebackHistory && update.Contains("$push")))
            {
                continue;
            }

            onInsert.Add(element);
        }

        if (onInsert.ElementCount > 0)
        {
            update.Add("$setOnInsert", onInsert);
        }

        return new UpdateOneModel<BsonDocument>(filter, update) { IsUpsert = true };
    }

    private static void AddIfSet(BsonDocument document, string name, double? value)
    {
        if (value is { } number)
        {
            document.Add(name, number);
        }
    }

    private static void AddIfSet(BsonDocument document, string name, DateTime? value)
    {
        if (value is { } date)
        {
            document.Add(name, MongoValues.Date(date));
        }
    }

    private static void AddIfSet(BsonDocument document, string name, string? value)
    {
        if (value is not null)
        {
            document.Add(name, value);
        }
    }
}
