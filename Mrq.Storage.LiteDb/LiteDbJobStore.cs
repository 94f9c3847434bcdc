using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Jobs in the <c>mrq_jobs</c> collection. Writes run on the database's group-commit writer (documents are built
/// and read back on the caller's thread, so the writer only touches the file); reads go to the file directly, with
/// the claimed jobs (<see cref="ClaimedJobs"/>, started in memory until their outcome is written) laid over it.
/// Claims, status scans and expiry use the <see cref="StatusKey"/> index, so they never load unrelated jobs.
/// </summary>
internal sealed partial class LiteDbJobStore : IJobStore, IStorageInitializer
{
    private readonly LiteDbDatabase _database;

    /// <summary>The jobs claimed by this process, kept in memory until their outcome is written (see <see cref="ClaimedJobs"/>).</summary>
    private readonly ClaimedJobs _claimed = new();

    /// <summary>Where claims resume in each queue's queued range (see <see cref="ClaimCursors"/>).</summary>
    private readonly ClaimCursors _cursors = new();

    /// <summary>
    /// Writer: the (status, queue) on disk of the jobs read for writing in this transaction, taken before they are
    /// changed in memory, so their counters move from there (see <see cref="JobCounts"/>).
    /// </summary>
    private readonly Dictionary<JobId, CountKey> _diskKeys = [];

    public LiteDbJobStore(LiteDbDatabase database)
    {
        _database = database;
        database.OnTransactionEnd(
            () =>
            {
                _claimed.Committed();
                _diskKeys.Clear();
            },
            () =>
            {
                _claimed.RolledBack();
                _cursors.Clear();
                _diskKeys.Clear();
            });
    }

    private ILiteCollection<BsonDocument> Jobs => _database.Collection(LiteDbCollections.Jobs);

    private ILiteCollection<BsonDocument> Counts => _database.Collection(LiteDbCollections.JobCounts);

    /// <summary>Once the file is open: counts the jobs per (status, queue) when the file has no current counters.</summary>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken) =>
        await _database.WriteAsync(_ => JobCounts.EnsureCounted(Jobs, Counts), cancellationToken).ConfigureAwait(false);

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
        if (claimed)
        {
            // Claimed jobs stay queued on disk until their outcome is written.
            _diskKeys[id] = new CountKey(JobStatus.Queued, document[MrqJobFields.Queue].AsString);
            return document;
        }

        var found = jobs.FindById(JobDocuments.ToObjectId(id));
        if (found is not null)
        {
            _diskKeys[id] = CountKey.OfStatusKey(found[JobFields.StatusKey].AsBinary);
        }

        return found;
    }

    /// <summary>Writer: inserts job documents (every job insert goes through here, so claim cursors and counts stay right).</summary>
    private int InsertJobs(ILiteCollection<BsonDocument> jobs, IReadOnlyCollection<BsonDocument> documents)
    {
        var deltas = new Dictionary<CountKey, long>();
        foreach (var doc in documents)
        {
            JobCounts.Add(deltas, CountKey.Of(doc), 1);
        }

        _cursors.Written(documents);
        var inserted = jobs.Insert(documents);
        JobCounts.Apply(Counts, deltas);
        return inserted;
    }

    /// <summary>
    /// Writer: updates job documents read with <see cref="FindForWrite"/> (every job update goes through here, so
    /// claim cursors and counts stay right).
    /// </summary>
    private int UpdateJobs(ILiteCollection<BsonDocument> jobs, IReadOnlyCollection<BsonDocument> documents)
    {
        var deltas = new Dictionary<CountKey, long>();
        foreach (var doc in documents)
        {
            var id = JobDocuments.ToJobId(doc[MrqJobFields.Id].AsObjectId);
            var now = CountKey.Of(doc);
            if (!_diskKeys.Remove(id, out var before))
            {
                // Not read through FindForWrite: the file says what it is counted under.
                before = jobs.FindById(doc[MrqJobFields.Id]) is { } disk ? CountKey.OfStatusKey(disk[JobFields.StatusKey].AsBinary) : now;
            }

            if (before != now)
            {
                JobCounts.Add(deltas, before, -1);
                JobCounts.Add(deltas, now, 1);
            }
        }

        _cursors.Written(documents);
        var updated = jobs.Update(documents);
        JobCounts.Apply(Counts, deltas);
        return updated;
    }

    /// <summary>Writer: deletes jobs as read from the file (unchanged since), uncounting them.</summary>
    private int DeleteJobs(ILiteCollection<BsonDocument> jobs, IEnumerable<BsonDocument> fileDocuments)
    {
        var deltas = new Dictionary<CountKey, long>();
        var deleted = 0;
        foreach (var doc in fileDocuments)
        {
            if (jobs.Delete(doc[MrqJobFields.Id]))
            {
                JobCounts.Add(deltas, CountKey.OfStatusKey(doc[JobFields.StatusKey].AsBinary), -1);
                deleted++;
            }
        }

        JobCounts.Apply(Counts, deltas);
        return deleted;
    }

    /// <summary>The claim token: started, by this worker, under the claim that set <paramref name="dateStarted"/>.</summary>
    private static bool IsStartedBy(BsonDocument doc, string worker, DateTime? dateStarted) =>
        doc[MrqJobFields.Status].AsString == "started"
        && doc.TryGetValue(MrqJobFields.Worker, out var stored)
        && stored.IsString
        && string.Equals(stored.AsString, worker, StringComparison.Ordinal)
        && ClaimToken.SameClaim(JobDocuments.Date(doc, MrqJobFields.DateStarted), dateStarted);
}
