using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>
/// Copies job records across the SPI boundary. The store never keeps a caller's record nor hands out its own: callers
/// may mutate what they pass in and what they get back. On the way in <c>params</c> and <c>result</c> are frozen
/// (<see cref="JsonFreezer"/>: re-read as JSON, as a database would store them); on the way out they are cloned,
/// which for a frozen node wraps the same immutable data and copies nothing until the reader looks.
/// </summary>
internal static class JobRecordCopier
{
    /// <summary>A private copy of a caller's record for the store, with every date made UTC.</summary>
    /// <exception cref="ArgumentException">The record has no params, path or queue.</exception>
    public static JobRecord Import(JobRecord source, JsonFreezer json)
    {
        if (source is null || source.Params is null || source.Path is null || source.Queue is null)
        {
            throw new ArgumentException("A job record needs an id, a path, params (a JSON object) and a queue.", nameof(source));
        }

        var history = new List<TracebackEntry>(source.TracebackHistory?.Count ?? 0);
        if (source.TracebackHistory is not null)
        {
            foreach (var entry in source.TracebackHistory)
            {
                history.Add(ImportEntry(entry));
            }
        }

        return new JobRecord
        {
            Id = source.Id,
            Path = source.Path,
            Params = json.FreezeObject(source.Params),
            Queue = source.Queue,
            Status = source.Status,
            DateQueued = UtcDates.Utc(source.DateQueued),
            DateStarted = UtcDates.Utc(source.DateStarted),
            DateUpdated = UtcDates.Utc(source.DateUpdated),
            DateExpires = UtcDates.Utc(source.DateExpires),
            DateRetry = UtcDates.Utc(source.DateRetry),
            Worker = source.Worker,
            Result = json.Freeze(source.Result),
            Progress = source.Progress,
            RetryCount = source.RetryCount,
            LostCount = source.LostCount,
            ExceptionType = source.ExceptionType,
            Traceback = source.Traceback,
            TracebackHistory = history,
            RawQueue = source.RawQueue,
            TotalTime = source.TotalTime,
            TraceParent = source.TraceParent,
            TraceState = source.TraceState,
            UniqueKey = source.UniqueKey,
        };
    }

    /// <summary>A traceback entry with its date made UTC.</summary>
    public static TracebackEntry ImportEntry(TracebackEntry entry) =>
        entry.Date.Kind == DateTimeKind.Utc ? entry : entry with { Date = UtcDates.Utc(entry.Date) };

    /// <summary>A copy of a stored record for a caller (stored dates are UTC already).</summary>
    public static JobRecord Export(JobRecord stored) => new()
    {
        Id = stored.Id,
        Path = stored.Path,
        Params = stored.Params.DeepClone().AsObject(),
        Queue = stored.Queue,
        Status = stored.Status,
        DateQueued = stored.DateQueued,
        DateStarted = stored.DateStarted,
        DateUpdated = stored.DateUpdated,
        DateExpires = stored.DateExpires,
        DateRetry = stored.DateRetry,
        Worker = stored.Worker,
        Result = stored.Result?.DeepClone(),
        Progress = stored.Progress,
        RetryCount = stored.RetryCount,
        LostCount = stored.LostCount,
        ExceptionType = stored.ExceptionType,
        Traceback = stored.Traceback,

        // Entries are immutable records; only the list is the caller's own.
        TracebackHistory = new List<TracebackEntry>(stored.TracebackHistory),
        RawQueue = stored.RawQueue,
        TotalTime = stored.TotalTime,
        TraceParent = stored.TraceParent,
        TraceState = stored.TraceState,
        UniqueKey = stored.UniqueKey,
    };
}
