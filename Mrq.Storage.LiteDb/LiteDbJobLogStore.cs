using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>Log lines in <c>mrq_logs</c> (<c>{_id, job|worker, logs}</c>), read back in insertion order.</summary>
internal sealed class LiteDbJobLogStore : IJobLogStore
{
    private const string JobField = "job";
    private const string WorkerField = "worker";
    private const string LogsField = "logs";

    private readonly LiteDbDatabase _database;

    public LiteDbJobLogStore(LiteDbDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc/>
    public async ValueTask AppendAsync(IReadOnlyList<LogBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0)
        {
            return;
        }

        var docs = batches.Select(ToDocument).ToArray();
        await _database.WriteAsync(
            database =>
            {
                // Fresh copies each run: LiteDB sets the auto ids on the documents it inserts.
                var copies = docs.Select(doc => new BsonDocument(doc)).ToArray();
                return _database.Collection(LiteDbCollections.Logs).InsertBulk(copies);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DeleteJobLogsAsync(IReadOnlyCollection<JobId> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        var ids = new BsonArray(jobs.Select(job => new BsonValue(JobDocuments.ToObjectId(job))));
        await _database.WriteAsync(
            database => _database.Collection(LiteDbCollections.Logs).DeleteMany(Query.In(JobField, ids)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<string> GetJobLogsAsync(JobId job, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var lines = _database.Collection(LiteDbCollections.Logs)
            .Find(Expressions.Equal(JobField, JobDocuments.ToObjectId(job)))
            .OrderBy(doc => doc["_id"].AsInt64)
            .Select(doc => doc[LogsField].AsString);
        return new(string.Join('\n', lines));
    }

    private static BsonDocument ToDocument(LogBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var doc = new BsonDocument { [LogsField] = batch.Lines };
        if (batch.Job is { } job)
        {
            doc[JobField] = JobDocuments.ToObjectId(job);
        }

        if (batch.Worker is not null)
        {
            doc[WorkerField] = batch.Worker;
        }

        return doc;
    }
}
