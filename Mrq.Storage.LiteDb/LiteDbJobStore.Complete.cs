using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbJobStore
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return [];
        }

        // Everything that converts JSON or builds documents happens here, off the writer thread.
        var prepared = new PreparedOutcome[outcomes.Count];
        for (var i = 0; i < prepared.Length; i++)
        {
            prepared[i] = Prepare(outcomes[i] ?? throw new ArgumentException("An outcome is null.", nameof(outcomes)));
        }

        return await _database.WriteAsync(
            database =>
            {
                var jobs = Jobs;
                var applied = new bool[prepared.Length];

                // Written with one Update call at the end (LiteDB's per-call cost is large); until then this is
                // where a job's current document is, so an outcome repeated in the batch sees the first one.
                var written = new Dictionary<JobId, BsonDocument>();
                var updates = new List<BsonDocument>(prepared.Length);
                for (var i = 0; i < prepared.Length; i++)
                {
                    var outcome = prepared[i];
                    if (!outcome.Allowed)
                    {
                        continue;
                    }

                    var id = outcome.Source.Id;
                    var claimed = false;
                    var doc = written.TryGetValue(id, out var pending) ? pending : FindForWrite(jobs, id, out claimed);
                    if (doc is null)
                    {
                        if (outcome.Source.InsertIfMissing is null)
                        {
                            continue;
                        }

                        // Built fresh each run: a group rerun must not see the previous run's changes.
                        doc = JobDocuments.ToDocument(outcome.Source.InsertIfMissing);
                        Apply(doc, outcome);
                        InsertJobs(jobs, [doc]);
                        written[id] = doc;
                        applied[i] = true;
                        continue;
                    }

                    if (!IsStartedBy(doc, outcome.Source.Worker, outcome.Source.DateStarted))
                    {
                        continue;
                    }

                    // A claimed job's document is shared with readers: write a changed copy.
                    var updated = claimed ? new BsonDocument(doc) : doc;
                    Apply(updated, outcome);
                    if (pending is null)
                    {
                        updates.Add(updated);
                    }

                    written[id] = updated;
                    if (claimed)
                    {
                        _claimed.Remove(id);
                    }

                    applied[i] = true;
                }

                if (updates.Count > 0)
                {
                    UpdateJobs(jobs, updates);
                }

                return applied;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static PreparedOutcome Prepare(JobOutcome outcome)
    {
        if (outcome.InsertIfMissing is { } insert && insert.Id != outcome.Id)
        {
            throw new ArgumentException($"Outcome {outcome.Id} carries a record to insert with another id ({insert.Id}).", nameof(outcome));
        }

        var result = new BsonDocument();
        JobDocuments.SetResult(result, outcome.Result);
        return new PreparedOutcome(
            outcome,
            JobDocuments.ToObjectId(outcome.Id),
            outcome.Status.ToMrqName(),
            outcome.Result is null ? null : result,
            outcome.TracebackEntry is { } entry ? JobDocuments.ToHistoryEntry(entry) : null,
            JobStateMachine.CanTransition(JobStatus.Started, outcome.Status));
    }

    /// <summary>Writes an outcome to a job document (MRQ's status save: set what the outcome carries).</summary>
    private static void Apply(BsonDocument doc, PreparedOutcome prepared)
    {
        var outcome = prepared.Source;
        doc[MrqJobFields.Status] = prepared.Status;
        JobDocuments.SetDate(doc, MrqJobFields.DateUpdated, outcome.DateUpdated);
        JobDocuments.SetDate(doc, MrqJobFields.DateExpires, outcome.DateExpires);
        if (prepared.Result is { } result)
        {
            doc.Remove(MrqJobFields.Result);
            doc.Remove(JobFields.ResultJson);
            foreach (var (field, value) in result)
            {
                doc[field] = value;
            }
        }

        if (outcome.TotalTime is { } totalTime)
        {
            doc[MrqJobFields.TotalTime] = totalTime;
        }

        if (outcome.Time is { } time)
        {
            doc[MrqJobFields.Time] = time;
        }

        if (outcome.Switches is { } switches)
        {
            doc[MrqJobFields.Switches] = switches;
        }

        if (outcome.DateRetry is { } dateRetry)
        {
            JobDocuments.SetDate(doc, MrqJobFields.DateRetry, dateRetry);
        }

        if (outcome.DateQueued is { } dateQueued)
        {
            JobDocuments.SetDate(doc, MrqJobFields.DateQueued, dateQueued);
        }

        if (outcome.Queue is { } queue)
        {
            doc[MrqJobFields.Queue] = queue;
        }

        if (outcome.RetryCount is { } retryCount)
        {
            doc[MrqJobFields.RetryCount] = retryCount;
        }

        if (outcome.Progress is { } progress)
        {
            doc[MrqJobFields.Progress] = progress;
        }

        if (outcome.ExceptionType is { } exceptionType)
        {
            doc[MrqJobFields.ExceptionType] = exceptionType;
        }

        if (outcome.Traceback is { } traceback)
        {
            doc[MrqJobFields.Traceback] = traceback;
        }

        if (prepared.HistoryEntry is { } entry)
        {
            // A new array, never the stored one changed in place: copies handed to callers share nested values.
            var history = doc.TryGetValue(MrqJobFields.TracebackHistory, out var existing) && existing.IsArray
                ? new BsonArray((IEnumerable<BsonValue>)existing.AsArray)
                : new BsonArray();
            history.Add(entry);
            doc[MrqJobFields.TracebackHistory] = history;
        }

        JobDocuments.RefreshStatusKey(doc);
    }

    /// <summary>An outcome with its values already converted for the writer thread; <c>Allowed</c>: the status table lets a running job end so.</summary>
    private sealed record PreparedOutcome(
        JobOutcome Source, ObjectId Id, string Status, BsonDocument? Result, BsonDocument? HistoryEntry, bool Allowed);
}
