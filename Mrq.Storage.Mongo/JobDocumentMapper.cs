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
            { MrqJobFields.Id, MongoValues.ToObjectId(job.Id) },
            { MrqJobFields.Path, job.Path },
            { MrqJobFields.Params, BsonJson.ToBsonDocument(job.Params) },
            { MrqJobFields.Queue, job.Queue },
            { MrqJobFields.DateQueued, MongoValues.Date(job.DateQueued) },
            { MrqJobFields.Status, job.Status.ToMrqName() },
        };
        AddIfSet(document, MrqJobFields.DateStarted, job.DateStarted);
        AddIfSet(document, MrqJobFields.DateUpdated, job.DateUpdated);
        AddIfSet(document, MrqJobFields.DateExpires, job.DateExpires);
        AddIfSet(document, MrqJobFields.DateRetry, job.DateRetry);
        if (job.Worker is not null)
        {
            document.Add(MrqJobFields.Worker, MongoValues.Worker(job.Worker));
        }

        if (job.Result is not null)
        {
            document.Add(MrqJobFields.Result, BsonJson.ToBson(job.Result));
        }

        if (job.Progress is { } progress)
        {
            document.Add(MrqJobFields.Progress, MongoValues.Progress(progress));
        }

        if (job.RetryCount != 0)
        {
            document.Add(MrqJobFields.RetryCount, job.RetryCount);
        }

        if (job.LostCount != 0)
        {
            document.Add(MrqJobFields.LostCount, job.LostCount);
        }

        AddIfSet(document, MrqJobFields.ExceptionType, job.ExceptionType);
        AddIfSet(document, MrqJobFields.Traceback, job.Traceback);
        if (job.TracebackHistory.Count > 0)
        {
            document.Add(MrqJobFields.TracebackHistory, new BsonArray(job.TracebackHistory.Select(ToDocument)));
        }

        AddIfSet(document, MrqJobFields.RawQueue, job.RawQueue);
        AddIfSet(document, MrqJobFields.UniqueKey, job.UniqueKey);
        if (job.TotalTime is { } totalTime)
        {
            document.Add(MrqJobFields.TotalTime, totalTime);
        }

        AddIfSet(document, MrqJobFields.TraceParent, job.TraceParent);
        AddIfSet(document, MrqJobFields.TraceState, job.TraceState);

        return document;
    }

    public static BsonDocument ToDocument(TracebackEntry entry)
    {
        var document = new BsonDocument
        {
            { MrqJobFields.HistoryDate, MongoValues.Date(entry.Date) },
            { MrqJobFields.Status, entry.Status.ToMrqName() },
            { MrqJobFields.ExceptionType, entry.ExceptionType },
            { MrqJobFields.Traceback, entry.Traceback },
        };
        AddIfSet(document, MrqJobFields.HistoryOriginalTraceback, entry.OriginalTraceback);
        // MRQ leaves the field out when no worker ran the job.
        if (entry.Worker is not null)
        {
            document.Add(MrqJobFields.Worker, MongoValues.Worker(entry.Worker));
        }

        return document;
    }

    /// <exception cref="FormatException">The document has no ObjectId <c>_id</c> or an unknown status.</exception>
    public static JobRecord ToRecord(BsonDocument document)
    {
        if (!document.TryGetValue(MrqJobFields.Id, out var rawId) || rawId is not BsonObjectId objectId)
        {
            throw new FormatException($"An {MongoConnection.JobsCollection} document has no ObjectId _id: {Truncate(document)}");
        }

        var id = MongoValues.ToJobId(objectId.Value);
        var statusText = MongoValues.ReadString(document.GetValue(MrqJobFields.Status, BsonNull.Value));
        JobStatus status;
        if (statusText is null)
        {
            status = JobStatus.Queued;
        }
        else if (!JobStatusNames.TryParse(statusText, out status))
        {
            throw new FormatException($"Job {id} has an unknown status '{statusText}'.");
        }

        var parameters = document.GetValue(MrqJobFields.Params, BsonNull.Value) is BsonDocument paramsDocument
            ? BsonJson.ToJsonObject(paramsDocument)
            : [];
        return new JobRecord
        {
            Id = id,
            Path = MongoValues.ReadString(Get(document, MrqJobFields.Path)) ?? string.Empty,
            Params = parameters,
            Queue = MongoValues.ReadString(Get(document, MrqJobFields.Queue)) ?? DefaultQueue,
            Status = status,
            DateQueued = MongoValues.ReadDate(Get(document, MrqJobFields.DateQueued)) ?? objectId.Value.CreationTime,
            DateStarted = MongoValues.ReadDate(Get(document, MrqJobFields.DateStarted)),
            DateUpdated = MongoValues.ReadDate(Get(document, MrqJobFields.DateUpdated)),
            DateExpires = MongoValues.ReadDate(Get(document, MrqJobFields.DateExpires)),
            DateRetry = MongoValues.ReadDate(Get(document, MrqJobFields.DateRetry)),
            Worker = MongoValues.ReadWorker(Get(document, MrqJobFields.Worker)),
            Result = BsonJson.ToJson(Get(document, MrqJobFields.Result)),
            Progress = MongoValues.ReadDouble(Get(document, MrqJobFields.Progress)),
            RetryCount = (int)(MongoValues.ReadDouble(Get(document, MrqJobFields.RetryCount)) ?? 0),
            LostCount = (int)(MongoValues.ReadDouble(Get(document, MrqJobFields.LostCount)) ?? 0),
            ExceptionType = MongoValues.ReadString(Get(document, MrqJobFields.ExceptionType)),
            Traceback = MongoValues.ReadString(Get(document, MrqJobFields.Traceback)),
            TracebackHistory = ReadHistory(Get(document, MrqJobFields.TracebackHistory)),
            RawQueue = MongoValues.ReadString(Get(document, MrqJobFields.RawQueue)),
            TotalTime = MongoValues.ReadDouble(Get(document, MrqJobFields.TotalTime)),
            TraceParent = MongoValues.ReadString(Get(document, MrqJobFields.TraceParent)),
            TraceState = MongoValues.ReadString(Get(document, MrqJobFields.TraceState)),
            UniqueKey = MongoValues.ReadString(Get(document, MrqJobFields.UniqueKey)),
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
                || !JobStatusNames.TryParse(MongoValues.ReadString(Get(entry, MrqJobFields.Status)), out var status))
            {
                continue;
            }

            history.Add(new TracebackEntry(
                MongoValues.ReadDate(Get(entry, MrqJobFields.HistoryDate)) ?? DateTime.UnixEpoch,
                status,
                MongoValues.ReadString(Get(entry, MrqJobFields.ExceptionType)) ?? string.Empty,
                MongoValues.ReadString(Get(entry, MrqJobFields.Traceback)) ?? string.Empty,
                MongoValues.ReadString(Get(entry, MrqJobFields.HistoryOriginalTraceback)),
                MongoValues.ReadWorker(Get(entry, MrqJobFields.Worker))));
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
