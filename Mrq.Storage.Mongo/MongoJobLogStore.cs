using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

/// <summary>
/// <see cref="IJobLogStore"/> on MRQ's <c>mrq_logs</c>: one document per flushed batch, <c>{job: ObjectId, logs}</c>
/// or <c>{worker, logs}</c>, where <c>logs</c> is the lines joined with <c>\n</c> and ending with <c>\n</c>
/// (mrq/logger.py), so batches concatenate into the job's log as MRQ's dashboard shows it.
/// </summary>
internal sealed class MongoJobLogStore : IJobLogStore
{
    private const string JobField = "job";
    private const string WorkerField = "worker";
    private const string LogsField = "logs";

    private readonly IMongoCollection<BsonDocument> _logs;

    public MongoJobLogStore(IMongoCollection<BsonDocument> logs)
    {
        _logs = logs;
    }

    /// <exception cref="ArgumentException">A batch has neither a job nor a worker.</exception>
    /// <exception cref="MrqStorageException">A batch cannot be stored at all (over 16 MB): <see cref="MrqStorageException.IsPermanent"/>.</exception>
    public async ValueTask AppendAsync(IReadOnlyList<LogBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var documents = new List<BsonDocument>(batches.Count);
        foreach (var batch in batches)
        {
            if (batch.Lines.Length == 0)
            {
                continue;
            }

            var logs = batch.Lines.EndsWith('\n') ? batch.Lines : batch.Lines + "\n";
            if (batch.Job is { } job)
            {
                documents.Add(new BsonDocument { { JobField, MongoValues.ToObjectId(job) }, { LogsField, logs } });
            }
            else if (batch.Worker is { } worker)
            {
                documents.Add(new BsonDocument { { WorkerField, MongoValues.Worker(worker) }, { LogsField, logs } });
            }
            else
            {
                throw new ArgumentException("A log batch needs a job or a worker.", nameof(batches));
            }
        }

        if (documents.Count == 0)
        {
            return;
        }

        try
        {
            await _logs.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MongoWriteErrors.IsPermanent(ex))
        {
            throw MongoWriteErrors.Permanent($"{documents.Count} log batch(es)", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DeleteJobLogsAsync(IReadOnlyCollection<JobId> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count > 0)
        {
            await _logs.DeleteManyAsync(Builders<BsonDocument>.Filter.In(JobField, jobs.Select(MongoValues.ToObjectId)), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>The job's batches in insertion order (<c>_id</c>), concatenated, without the final newline.</summary>
    public async ValueTask<string> GetJobLogsAsync(JobId job, CancellationToken cancellationToken)
    {
        var documents = await _logs.Find(Builders<BsonDocument>.Filter.Eq(JobField, MongoValues.ToObjectId(job)))
            .Sort(new BsonDocument("_id", 1))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            if (MongoValues.ReadString(document.GetValue(LogsField, BsonNull.Value)) is { Length: > 0 } logs)
            {
                text.Append(logs);
                if (!logs.EndsWith('\n'))
                {
                    text.Append('\n');
                }
            }
        }

        if (text.Length > 0)
        {
            text.Length--;
        }

        return text.ToString();
    }
}
