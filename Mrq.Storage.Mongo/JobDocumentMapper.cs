using MongoDB.Bson;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

/// <summary>
/// Maps <see cref="JobRecord"/> to and from MRQ's <c>mrq_jobs</c> document. Writing follows MRQ exactly (insert is
/// <c>{_id, path, params, queue, datequeued, status}</c> plus only the fields that are set); reading is tolerant
/// of documents written by Python MRQ: missing fields, ints where doubles are expected and the reverse, a worker
/// stored as ObjectId or string, and extra fields (ignored).
/// </summary>
internal static class JobDocumentMapper
{
    private const string DefaultQueue = "default";

    public static BsonDocument ToDocument(JobRecord job)
    {
        var document = new BsonDocument
        {
            { JobFields.Id, MongoValues.ToObjectId(job.Id) },
            { JobFields.Path, job.Path },
            { JobFields.Params, BsonJson.ToBsonDocument(job.Params) },
            { JobFields.Queue, job.Queue },
            { JobFields.DateQueued, MongoValues.Date(job.DateQueued) },
            { JobFields.Status, job.Status.ToMrqName() },
        };
        AddIfSet(document, JobFields.DateStarted, job.DateStarted);
        AddIfSet(document, JobFields.DateUpdated, job.DateUpdated);
        AddIfSet(document, JobFields.DateExpires, job.DateExpires);
        AddIfSet(document, JobFields.DateRetry, job.DateRetry);
        if (job.Worker is not null)
        {
            document.Add(JobFields.Worker, MongoValues.Worker(job.Worker));
        }

        if (job.Result is not null)
        {
            document.Add(JobFields.Result, BsonJson.ToBson(job.Result));
        }

        if (job.Progress is { } progress)
        {
            document.Add(JobFields.Progress, progress);
        }

        if (job.RetryCount != 0)
        {
            document.Add(JobFields.RetryCount, job.RetryCount);
        }

        AddIfSet(document, JobFields.ExceptionType, job.ExceptionType);
        AddIfSet(document, JobFields.Traceback, job.Traceback);
        if (job.TracebackHistory.Count > 0)
        {
            document.Add(JobFields.TracebackHistory, new BsonArray(job.TracebackHistory.Select(ToDocument)));
        }

        AddIfSet(document, JobFields.RawQueue, job.RawQueue);
        if (job.TotalTime is { } totalTime)
        {
            document.Add(JobFields.TotalTime, totalTime);
        }

        return document;
    }

    public static BsonDocument ToDocument(TracebackEntry entry)
    {
        var document = new BsonDocument
        {
            { JobFields.EntryDate, MongoValues.Date(entry.Date) },
            { JobFields.Status, entry.Status.ToMrqName() },
            { JobFields.ExceptionType, entry.ExceptionType },
            { JobFields.Traceback, entry.Traceback },
        };
        AddIfSet(document, JobFields.EntryOriginalTraceback, entry.OriginalTraceback);
        document.Add(JobFields.Worker, entry.Worker is null ? BsonNull.Value : MongoValues.Worker(entry.Worker));
        return document;
    }

    /// <exception cref="FormatException">The document has no ObjectId <c>_id</c> or an unknown status.</exception>
    public static JobRecord ToRecord(BsonDocument document)
    {
        if (!document.TryGetValue(JobFields.Id, out var rawId) || rawId is not BsonObjectId objectId)
        {
            throw new FormatException($"An {MongoConnection.JobsCollection} document has no ObjectId _id: {Truncate(document)}");
        }

        var id = MongoValues.ToJobId(objectId.Value);
        var statusText = MongoValues.ReadString(document.GetValue(JobFields.Status, BsonNull.Value));
        JobStatus status;
        if (statusText is null)
        {
            status = JobStatus.Queued;
        }
        else if (!JobStatusNames.TryParse(statusText, out status))
        {
            throw new FormatException($"Job {id} has an unknown status '{statusText}'.");
        }

        var parameters = document.GetValue(JobFields.Params, BsonNull.Value) is BsonDocument paramsDocument
            ? BsonJson.ToJsonObject(paramsDocument)
            : [];
        return new JobRecord
        {
            Id = id,
            Path = MongoValues.ReadString(Get(document, JobFields.Path)) ?? string.Empty,
            Params = parameters,
            Queue = MongoValues.ReadString(Get(document, JobFields.Queue)) ?? DefaultQueue,
            Status = status,
            DateQueued = MongoValues.ReadDate(Get(document, JobFields.DateQueued)) ?? objectId.Value.CreationTime,
            DateStarted = MongoValues.ReadDate(Get(document, JobFields.DateStarted)),
            DateUpdated = MongoValues.ReadDate(Get(document, JobFields.DateUpdated)),
            DateExpires = MongoValues.ReadDate(Get(document, JobFields.DateExpires)),
            DateRetry = MongoValues.ReadDate(Get(document, JobFields.DateRetry)),
            Worker = MongoValues.ReadWorker(Get(document, JobFields.Worker)),
            Result = BsonJson.ToJson(Get(document, JobFields.Result)),
            Progress = MongoValues.ReadDouble(Get(document, JobFields.Progress)),
            RetryCount = (int)(MongoValues.ReadDouble(Get(document, JobFields.RetryCount)) ?? 0),
            ExceptionType = MongoValues.ReadString(Get(document, JobFields.ExceptionType)),
            Traceback = MongoValues.ReadString(Get(document, JobFields.Traceback)),
            TracebackHistory = ReadHistory(Get(document, JobFields.TracebackHistory)),
            RawQueue = MongoValues.ReadString(Get(document, JobFields.RawQueue)),
            TotalTime = MongoValues.ReadDouble(Get(document, JobFields.TotalTime)),
        };
    }

    private static List<TracebackEntry> ReadHistory(BsonValue? value)
    {
        var history = new List<TracebackEntry>();
        if (value is not BsonArray entries)
        {
            return history;
        }

        foreach (var item in entries)
        {
            // Entries that are not documents or carry an unknown status are skipped rather than invented.
            if (item is not BsonDocument entry
                || !JobStatusNames.TryParse(MongoValues.ReadString(Get(entry, JobFields.Status)), out var status))
            {
                continue;
            }

            history.Add(new TracebackEntry(
                MongoValues.ReadDate(Get(entry, JobFields.EntryDate)) ?? DateTime.UnixEpoch,
                status,
                MongoValues.ReadString(Get(entry, JobFields.ExceptionType)) ?? string.Empty,
                MongoValues.ReadString(Get(entry, JobFields.Traceback)) ?? string.Empty,
                MongoValues.ReadString(Get(entry, JobFields.EntryOriginalTraceback)),
                MongoValues.ReadWorker(Get(entry, JobFields.Worker))));
        }

        return history;
    }

    private static BsonValue? Get(BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && !value.IsBsonNull ? value : null;

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

    private static string Truncate(BsonDocument document)
    {
        var text = document.ToString();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
