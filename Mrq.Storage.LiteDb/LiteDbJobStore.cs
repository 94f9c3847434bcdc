using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Jobs in the <c>mrq_jobs</c> collection. Writes run on the database's group-commit writer (documents are built
/// and read back on the caller's thread, so the writer only touches the file); reads go to the file directly, with
/// the claimed jobs (<see cref="ClaimedJobs"/>, started in memory until their outcome is written) laid over it.
/// Claims, status scans and expiry use the <see cref="StatusKey"/> index, so they never load unrelated jobs.
/// </summary>
internal sealed partial class LiteDbJobStore : IJobStore
{
    private readonly LiteDbDatabase _database;

    /// <summary>The jobs claimed by this process, kept in memory until their outcome is written (see <see cref="ClaimedJobs"/>).</summary>
    private readonly ClaimedJobs _claimed = new();

    /// <summary>Where claims resume in each queue's queued range (see <see cref="ClaimCursors"/>).</summary>
    private readonly ClaimCursors _cursors = new();

    public LiteDbJobStore(LiteDbDatabase database)
    {
        _database = database;
        database.OnTransactionEnd(_claimed.Committed, () =>
        {
            _claimed.RolledBack();
            _cursors.Clear();
        });
    }

    private ILiteCollection<BsonDocument> Jobs => _database.Collection(LiteDbCollections.Jobs);

    /// <inheritdoc/>
    public async ValueTask InsertAsync(IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        var documents = new BsonDocument[jobs.Count];
        for (var i = 0; i < documents.Length; i++)
        {
            documents[i] = JobDocuments.ToDocument(jobs[i] ?? throw new ArgumentException("A job is null.", nameof(jobs)));
        }

        await _database.WriteAsync(database => InsertJobs(Jobs, documents), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobRecord>> GetAsync(IReadOnlyList<JobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new List<JobRecord>(ids.Count);
        foreach (var id in ids)
        {
            if (Read(id) is { } doc)
            {
                found.Add(JobDocuments.ToRecord(doc));
            }
        }

        return new(found);
    }

    /// <inheritdoc/>
    public async ValueTask SaveProgressAsync(IReadOnlyList<JobProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Count == 0)
        {
            return;
        }

        var items = progress.ToArray();
        await _database.WriteAsync(
            database =>
            {
                var jobs = Jobs;
                var changed = new Dictionary<JobId, BsonDocument>();
                foreach (var item in items)
                {
                    var claimed = false;
                    if ((changed.TryGetValue(item.Id, out var pending) ? pending : FindForWrite(jobs, item.Id, out claimed)) is not { } doc
                        || !IsStartedBy(doc, item.Worker, item.DateStarted))
                    {
                        continue;
                    }

                    if (claimed)
                    {
                        // Progress of a claimed job lives with it in memory: it matters only while the job runs.
                        _claimed.Set(item.Id, new BsonDocument(doc) { [MrqJobFields.Progress] = item.Progress });
                    }
                    else
                    {
                        doc[MrqJobFields.Progress] = item.Progress;
                        changed[item.Id] = doc;
                    }
                }

                if (changed.Count > 0)
                {
                    UpdateJobs(jobs, changed.Values);
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Readers: a job's current document (its claimed state laid over the file's), or null.</summary>
    private BsonDocument? Read(JobId id) =>
        _claimed.TryGetPublished(id, out var claimed) ? claimed : Jobs.FindById(JobDocuments.ToObjectId(id));

    /// <summary>Readers: the current version of a document read from the file.</summary>
    private BsonDocument Overlay(BsonDocument fileDocument) =>
        _claimed.TryGetPublished(JobDocuments.ToJobId(fileDocument[MrqJobFields.Id].AsObjectId), out var claimed) ? claimed : fileDocument;

    /// <summary>
    /// Writer: a job's current document, from the claimed jobs (<paramref name="claimed"/>: then it must not be
    /// changed in place) or the file.
    /// </summary>
    private BsonDocument? FindForWrite(ILiteCollection<BsonDocument> jobs, JobId id, out bool claimed)
    {
        claimed = _claimed.TryGetWorking(id, out var document);
        return claimed ? document : jobs.FindById(JobDocuments.ToObjectId(id));
    }

    /// <summary>Writer: inserts job documents (every job insert goes through here, so claim cursors stay right).</summary>
    private int InsertJobs(ILiteCollection<BsonDocument> jobs, IReadOnlyCollection<BsonDocument> documents)
    {
        _cursors.Written(documents);
        return jobs.Insert(documents);
    }

    /// <summary>Writer: updates job documents (every job update goes through here, so claim cursors stay right).</summary>
    private int UpdateJobs(ILiteCollection<BsonDocument> jobs, IReadOnlyCollection<BsonDocument> documents)
    {
        _cursors.Written(documents);
        return jobs.Update(documents);
    }

    /// <summary>The claim token: started, by this worker, under the claim that set <paramref name="dateStarted"/>.</summary>
    private static bool IsStartedBy(BsonDocument doc, string worker, DateTime? dateStarted) =>
        doc[MrqJobFields.Status].AsString == "started"
        && doc.TryGetValue(MrqJobFields.Worker, out var stored)
        && stored.IsString
        && string.Equals(stored.AsString, worker, StringComparison.Ordinal)
        && ClaimToken.SameClaim(JobDocuments.Date(doc, MrqJobFields.DateStarted), dateStarted);
}
