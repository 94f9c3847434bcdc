using System.Text.Json.Nodes;
using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>Maps <see cref="JobRecord"/> to and from MRQ's <c>mrq_jobs</c> document shape.</summary>
internal static class JobDocuments
{
    /// <summary>The LiteDB id of a job: an ObjectId with the same 12 bytes.</summary>
    public static ObjectId ToObjectId(JobId id) => new(id.ToByteArray());

    /// <summary>The job id of a LiteDB ObjectId.</summary>
    public static JobId ToJobId(ObjectId id) => JobId.FromBytes(id.ToByteArray());

    /// <summary>Builds the document of a record, with its status key.</summary>
    public static BsonDocument ToDocument(JobRecord job)
    {
        var doc = new BsonDocument
        {
            [MrqJobFields.Id] = ToObjectId(job.Id),
            [MrqJobFields.Path] = job.Path,
            [MrqJobFields.Params] = BsonJson.IsDocumentSafe(job.Params) ? BsonJson.ToDocument(job.Params) : new BsonValue(job.Params.ToJsonString()),
            [MrqJobFields.Queue] = job.Queue,
            [MrqJobFields.Status] = job.Status.ToMrqName(),
            [MrqJobFields.DateQueued] = Utc(job.DateQueued),
        };
        SetDate(doc, MrqJobFields.DateStarted, job.DateStarted);
        SetDate(doc, MrqJobFields.DateUpdated, job.DateUpdated);
        SetDate(doc, MrqJobFields.DateExpires, job.DateExpires);
        SetDate(doc, MrqJobFields.DateRetry, job.DateRetry);
        SetString(doc, MrqJobFields.Worker, job.Worker);
        SetResult(doc, job.Result);
        SetDouble(doc, MrqJobFields.Progress, job.Progress);
        if (job.RetryCount != 0)
        {
            doc[MrqJobFields.RetryCount] = job.RetryCount;
        }

        if (job.LostCount != 0)
        {
            doc[MrqJobFields.LostCount] = job.LostCount;
        }

        SetString(doc, MrqJobFields.ExceptionType, job.ExceptionType);
        SetString(doc, MrqJobFields.Traceback, job.Traceback);
        if (job.TracebackHistory.Count > 0)
        {
            doc[MrqJobFields.TracebackHistory] = new BsonArray(job.TracebackHistory.Select(ToHistoryEntry));
        }

        SetString(doc, MrqJobFields.RawQueue, job.RawQueue);
        SetString(doc, MrqJobFields.UniqueKey, job.UniqueKey);
        SetDouble(doc, MrqJobFields.TotalTime, job.TotalTime);
        SetString(doc, MrqJobFields.TraceParent, job.TraceParent);
        SetString(doc, MrqJobFields.TraceState, job.TraceState);
        doc[JobFields.StatusKey] = StatusKey.For(job.Status, job.Queue, Utc(job.DateQueued), job.DateExpires is { } e ? Utc(e) : null, job.Id);
        return doc;
    }

    /// <summary>Reads a record from its document.</summary>
    public static JobRecord ToRecord(BsonDocument doc)
    {
        var parameters = doc[MrqJobFields.Params];
        var record = new JobRecord
        {
            Id = ToJobId(doc[MrqJobFields.Id].AsObjectId),
            Path = doc[MrqJobFields.Path].AsString,
            Params = parameters.IsDocument
                ? BsonJson.ToJsonObject(parameters.AsDocument)
                : parameters.IsString ? JsonNode.Parse(parameters.AsString)!.AsObject() : [],
            Queue = doc[MrqJobFields.Queue].AsString,
            Status = JobStatusNames.Parse(doc[MrqJobFields.Status].AsString),
            DateQueued = Date(doc, MrqJobFields.DateQueued) ?? DateTime.UnixEpoch,
            DateStarted = Date(doc, MrqJobFields.DateStarted),
            DateUpdated = Date(doc, MrqJobFields.DateUpdated),
            DateExpires = Date(doc, MrqJobFields.DateExpires),
            DateRetry = Date(doc, MrqJobFields.DateRetry),
            Worker = String(doc, MrqJobFields.Worker),
            Result = GetResult(doc),
            Progress = Double(doc, MrqJobFields.Progress),
            RetryCount = doc.TryGetValue(MrqJobFields.RetryCount, out var retry) && retry.IsNumber ? retry.AsInt32 : 0,
            LostCount = LostCountOf(doc),
            ExceptionType = String(doc, MrqJobFields.ExceptionType),
            Traceback = String(doc, MrqJobFields.Traceback),
            RawQueue = String(doc, MrqJobFields.RawQueue),
            UniqueKey = String(doc, MrqJobFields.UniqueKey),
            TotalTime = Double(doc, MrqJobFields.TotalTime),
            TraceParent = String(doc, MrqJobFields.TraceParent),
            TraceState = String(doc, MrqJobFields.TraceState),
        };
        if (doc.TryGetValue(MrqJobFields.TracebackHistory, out var history) && history.IsArray)
        {
            foreach (var entry in history.AsArray)
            {
                if (entry.IsDocument)
                {
                    record.TracebackHistory.Add(ToHistoryEntry(entry.AsDocument));
                }
            }
        }

        return record;
    }

    /// <summary>The <c>lost_count</c> stored in a document (0 when absent).</summary>
    public static int LostCountOf(BsonDocument doc) =>
        doc.TryGetValue(MrqJobFields.LostCount, out var lost) && lost.IsNumber ? lost.AsInt32 : 0;

    /// <summary>
    /// A started job whose worker was lost: counts it in <c>lost_count</c>, then sets <c>queued</c> (retry_count
    /// kept) or, at <paramref name="limit"/>, <c>failed</c> with exceptiontype <c>WorkerLost</c> (see <see cref="WorkerLost"/>).
    /// The caller sets the dates and refreshes the status key.
    /// </summary>
    /// <returns>The status written.</returns>
    public static JobStatus MarkLost(BsonDocument doc, int limit)
    {
        var lost = LostCountOf(doc) + 1;
        doc[MrqJobFields.LostCount] = lost;
        if (!WorkerLost.Fails(lost, limit))
        {
            doc[MrqJobFields.Status] = JobStatus.Queued.ToMrqName();
            return JobStatus.Queued;
        }

        doc[MrqJobFields.Status] = JobStatus.Failed.ToMrqName();
        doc[MrqJobFields.ExceptionType] = WorkerLost.ExceptionType;
        doc[MrqJobFields.Traceback] = WorkerLost.Traceback(lost);
        return JobStatus.Failed;
    }

    /// <summary>The status stored in a document.</summary>
    public static JobStatus StatusOf(BsonDocument doc) => JobStatusNames.Parse(doc[MrqJobFields.Status].AsString);

    /// <summary>Recomputes the status key after status, queue, datequeued or dateexpires changed.</summary>
    public static void RefreshStatusKey(BsonDocument doc) =>
        doc[JobFields.StatusKey] = StatusKey.For(
            StatusOf(doc),
            doc[MrqJobFields.Queue].AsString,
            Date(doc, MrqJobFields.DateQueued) ?? DateTime.UnixEpoch,
            Date(doc, MrqJobFields.DateExpires),
            ToJobId(doc[MrqJobFields.Id].AsObjectId));

    /// <summary>Sets or (when null) removes a date field.</summary>
    public static void SetDate(BsonDocument doc, string field, DateTime? value)
    {
        if (value is { } v)
        {
            doc[field] = Utc(v);
        }
        else
        {
            doc.Remove(field);
        }
    }

    /// <summary>Sets the result (as JSON text when it is not a valid LiteDB value); null removes it.</summary>
    public static void SetResult(BsonDocument doc, JsonNode? result)
    {
        doc.Remove(MrqJobFields.Result);
        doc.Remove(JobFields.ResultJson);
        if (result is null)
        {
            return;
        }

        if (BsonJson.IsDocumentSafe(result))
        {
            doc[MrqJobFields.Result] = BsonJson.ToBson(result);
        }
        else
        {
            doc[JobFields.ResultJson] = result.ToJsonString();
        }
    }

    /// <summary>A traceback history entry as stored.</summary>
    public static BsonDocument ToHistoryEntry(TracebackEntry entry)
    {
        var doc = new BsonDocument
        {
            [MrqJobFields.HistoryDate] = Utc(entry.Date),
            [MrqJobFields.Status] = entry.Status.ToMrqName(),
            [MrqJobFields.ExceptionType] = entry.ExceptionType,
            [MrqJobFields.Traceback] = entry.Traceback,
        };
        SetString(doc, MrqJobFields.HistoryOriginalTraceback, entry.OriginalTraceback);
        SetString(doc, MrqJobFields.Worker, entry.Worker);
        return doc;
    }

    /// <summary>A date as stored: UTC (LiteDB keeps milliseconds).</summary>
    public static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>A date field read back as UTC, or null.</summary>
    public static DateTime? Date(BsonDocument doc, string field) =>
        doc.TryGetValue(field, out var value) && value.IsDateTime ? Utc(value.AsDateTime) : null;

    private static TracebackEntry ToHistoryEntry(BsonDocument doc) => new(
        Date(doc, MrqJobFields.HistoryDate) ?? DateTime.UnixEpoch,
        JobStatusNames.TryParse(String(doc, MrqJobFields.Status), out var status) ? status : JobStatus.Failed,
        String(doc, MrqJobFields.ExceptionType) ?? "",
        String(doc, MrqJobFields.Traceback) ?? "",
        String(doc, MrqJobFields.HistoryOriginalTraceback),
        String(doc, MrqJobFields.Worker));

    private static JsonNode? GetResult(BsonDocument doc)
    {
        if (doc.TryGetValue(MrqJobFields.Result, out var result))
        {
            return BsonJson.ToJson(result);
        }

        return doc.TryGetValue(JobFields.ResultJson, out var text) && text.IsString ? JsonNode.Parse(text.AsString) : null;
    }

    private static void SetString(BsonDocument doc, string field, string? value)
    {
        if (value is null)
        {
            doc.Remove(field);
        }
        else
        {
            doc[field] = value;
        }
    }

    private static void SetDouble(BsonDocument doc, string field, double? value)
    {
        if (value is { } v)
        {
            doc[field] = v;
        }
        else
        {
            doc.Remove(field);
        }
    }

    private static string? String(BsonDocument doc, string field) =>
        doc.TryGetValue(field, out var value) && value.IsString ? value.AsString : null;

    private static double? Double(BsonDocument doc, string field) =>
        doc.TryGetValue(field, out var value) && value.IsNumber ? value.AsDouble : null;
}
