using LiteDB;
using Mrq.Storage;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// The scheduler's state in the file's <c>mrq_scheduled_jobs</c> collection, MRQ's document shape (<c>hash</c>,
/// <c>path</c>, <c>params</c>, <c>queue</c>, <c>interval</c>, <c>dailytime</c>, <c>weekday</c>, <c>monthday</c>,
/// <c>datelastqueued</c>, plus <c>cron</c>, <c>timezone</c>, <c>catchup</c> for cron entries). Every call runs on the
/// writer, so the compare-and-set of <c>datelastqueued</c> is atomic.
/// </summary>
internal sealed class LiteDbScheduleStore : IScheduleStore
{
    /// <summary>The collection, named as in MRQ.</summary>
    public const string CollectionName = "mrq_scheduled_jobs";

    private const string HashField = "hash";
    private const string DateLastQueuedField = "datelastqueued";

    private readonly LiteDbDatabase _database;

    public LiteDbScheduleStore(LiteDbDatabase database)
    {
        _database = database;
    }

    public async ValueTask<IReadOnlyList<ScheduledJobState>> ListAsync(CancellationToken cancellationToken) =>
        await _database.ReadOnWriterAsync<IReadOnlyList<ScheduledJobState>>(
            _ => [.. Collection().FindAll().Select(FromDocument).OfType<ScheduledJobState>()],
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> InsertMissingAsync(IReadOnlyList<ScheduledJobState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        return await _database.WriteAsync(
            _ =>
            {
                var collection = Collection();
                var inserted = 0;
                foreach (var state in states.Where(s => collection.FindOne(Query.EQ(HashField, s.Hash)) is null))
                {
                    collection.Insert(ToDocument(state));
                    inserted++;
                }

                return inserted;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> DeleteAsync(IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        return await _database.WriteAsync(
            _ => hashes.Sum(hash => Collection().DeleteMany(Query.EQ(HashField, hash))),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> TryMarkQueuedAsync(string hash, DateTime expected, DateTime queuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return await _database.WriteAsync(
            _ =>
            {
                var collection = Collection();
                if (collection.FindOne(Query.EQ(HashField, hash)) is not { } document
                    || Date(document[DateLastQueuedField]) != ToMilliseconds(expected))
                {
                    return false;
                }

                document[DateLastQueuedField] = ToMilliseconds(queuedAt);
                return collection.Update(document);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private ILiteCollection<BsonDocument> Collection() => _database.Collection(CollectionName);

    private static BsonDocument ToDocument(ScheduledJobState state)
    {
        var document = new BsonDocument
        {
            ["_id"] = ObjectId.NewObjectId(),
            [HashField] = state.Hash,
            ["path"] = state.Path,
            [DateLastQueuedField] = ToMilliseconds(state.DateLastQueued),
        };
        if (state.Params is { } parameters) document["params"] = BsonJson.ToDocument(parameters);
        if (state.Queue is { } queue) document["queue"] = queue;
        if (state.Interval is { } interval) document["interval"] = interval;
        if (state.DailyTime is { } dailyTime) document["dailytime"] = ToMilliseconds(dailyTime);
        if (state.Weekday is { } weekday) document["weekday"] = weekday;
        if (state.Monthday is { } monthday) document["monthday"] = monthday;
        if (state.Cron is { } cron) document["cron"] = cron;
        if (state.TimeZone is { } timeZone) document["timezone"] = timeZone;
        if (state.Catchup is { } catchup) document["catchup"] = catchup;
        return document;
    }

    /// <summary>The state of a document, or null when it lacks MRQ's hash, path or datelastqueued.</summary>
    private static ScheduledJobState? FromDocument(BsonDocument document)
    {
        if (!document[HashField].IsString || !document["path"].IsString || Date(document[DateLastQueuedField]) is not { } dateLastQueued)
        {
            return null;
        }

        return new ScheduledJobState
        {
            Hash = document[HashField].AsString,
            Path = document["path"].AsString,
            Params = document["params"].IsDocument ? BsonJson.ToJsonObject(document["params"].AsDocument) : null,
            Queue = document["queue"].IsString ? document["queue"].AsString : null,
            Interval = document["interval"].IsNumber ? document["interval"].AsDouble : null,
            DailyTime = Date(document["dailytime"]),
            Weekday = document["weekday"].IsNumber ? document["weekday"].AsInt32 : null,
            Monthday = document["monthday"].IsNumber ? document["monthday"].AsInt32 : null,
            Cron = document["cron"].IsString ? document["cron"].AsString : null,
            TimeZone = document["timezone"].IsString ? document["timezone"].AsString : null,
            Catchup = document["catchup"].IsString ? document["catchup"].AsString : null,
            DateLastQueued = dateLastQueued,
        };
    }

    private static DateTime? Date(BsonValue value) => value.IsDateTime ? ToMilliseconds(value.AsDateTime.ToUniversalTime()) : null;

    private static DateTime ToMilliseconds(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
