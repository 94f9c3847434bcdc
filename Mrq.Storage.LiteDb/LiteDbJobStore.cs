using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Jobs in the <c>mrq_jobs</c> collection. Writes run on the database's group-commit writer (documents are built
/// and read back on the caller's thread, so the writer only touches the file); reads go to the file directly.
/// Claims and status scans use the <see cref="StatusKey"/> index, so they never load unrelated jobs.
/// </summary>
internal sealed partial class LiteDbJobStore : IJobStore
{
    private readonly LiteDbDatabase _database;

    public LiteDbJobStore(LiteDbDatabase database)
    {
        _database = database;
    }

    private ILiteCollection<BsonDocument> Jobs => _database.Collection(LiteDbCollections.Jobs);

    private static ILiteCollection<BsonDocument> JobsOf(LiteDatabase database) => database.GetCollection(LiteDbCollections.Jobs);

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

        await _database.WriteAsync(database => JobsOf(database).Insert(documents), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobRecord>> GetAsync(IReadOnlyList<JobId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        var jobs = Jobs;
        var found = new List<JobRecord>(ids.Count);
        foreach (var id in ids)
        {
            if (jobs.FindById(JobDocuments.ToObjectId(id)) is { } doc)
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
                var jobs = JobsOf(database);
                foreach (var item in items)
                {
                    if (jobs.FindById(JobDocuments.ToObjectId(item.Id)) is { } doc && IsStartedBy(doc, item.Worker))
                    {
                        doc[JobFields.Progress] = item.Progress;
                        jobs.Update(doc);
                    }
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static bool IsStartedBy(BsonDocument doc, string worker) =>
        doc[JobFields.Status].AsString == "started"
        && doc.TryGetValue(JobFields.Worker, out var stored)
        && stored.IsString
        && string.Equals(stored.AsString, worker, StringComparison.Ordinal);
}
