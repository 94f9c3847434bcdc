using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Storage;

namespace Mrq.Storage.Mongo;

/// <summary>
/// The scheduler's state in MRQ's <c>mrq_scheduled_jobs</c> collection, in the document shape Python MRQ's scheduler
/// reads and writes (<c>_id</c> ObjectId, <c>hash</c>, <c>path</c>, <c>params</c>, <c>queue</c>, <c>interval</c>
/// int, <c>dailytime</c> and <c>datelastqueued</c> dates, <c>weekday</c>/<c>monthday</c> ints), plus <c>cron</c>,
/// <c>timezone</c>, <c>catchup</c> on cron entries, which Python MRQ ignores. The compare-and-set of
/// <c>datelastqueued</c> is one <c>updateOne</c> filtered on the expected date.
/// </summary>
internal sealed class MongoScheduleStore : IScheduleStore
{
    /// <summary>MRQ's collection name.</summary>
    public const string CollectionName = "mrq_scheduled_jobs";

    private const string HashField = "hash";
    private const string DateLastQueuedField = "datelastqueued";

    private readonly IMongoCollection<BsonDocument> _collection;

    public MongoScheduleStore(IMongoCollection<BsonDocument> collection)
    {
        _collection = collection;
    }

    public async ValueTask<IReadOnlyList<ScheduledJobState>> ListAsync(CancellationToken cancellationToken)
    {
        var documents = await _collection.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. documents.Select(FromDocument).OfType<ScheduledJobState>()];
    }

    public async ValueTask<int> InsertMissingAsync(IReadOnlyList<ScheduledJobState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        var inserted = 0;
        foreach (var state in states)
        {
            var document = ToDocument(state);
            document.Remove(HashField);
            var result = await _collection.UpdateOneAsync(
                new BsonDocument(HashField, state.Hash),
                new BsonDocument("$setOnInsert", document),
                new UpdateOptions { IsUpsert = true },
                cancellationToken).ConfigureAwait(false);
            if (result.UpsertedId is not null)
            {
                inserted++;
            }
        }

        return inserted;
    }

    public async ValueTask<int> DeleteAsync(IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            return 0;
        }

        var result = await _collection.DeleteManyAsync(
            new BsonDocument(HashField, new BsonDocument("$in", new BsonArray(hashes))),
            cancellationToken).ConfigureAwait(false);
        return (int)result.DeletedCount;
    }

    public async ValueTask<bool> TryMarkQueuedAsync(string hash, DateTime expected, DateTime queuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var result = await _collection.UpdateOneAsync(
            new BsonDocument { [HashField] = hash, [DateLastQueuedField] = MongoValues.Date(expected) },
            new BsonDocument("$set", new BsonDocument(DateLastQueuedField, MongoValues.Date(queuedAt))),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.MatchedCount == 1;
    }

    private static BsonDocument ToDocument(ScheduledJobState state)
    {
        var document = new BsonDocument
        {
            [HashField] = state.Hash,
            ["path"] = state.Path,
            [DateLastQueuedField] = MongoValues.Date(state.DateLastQueued),
        };
        if (state.Params is { } parameters) document["params"] = BsonJson.ToBsonDocument(parameters);
        if (state.Queue is { } queue) document["queue"] = queue;
        if (state.Interval is { } interval) document["interval"] = Number(interval);
        if (state.DailyTime is { } dailyTime) document["dailytime"] = MongoValues.Date(dailyTime);
        if (state.Weekday is { } weekday) document["weekday"] = weekday;
        if (state.Monthday is { } monthday) document["monthday"] = monthday;
        if (state.Cron is { } cron) document["cron"] = cron;
        if (state.TimeZone is { } timeZone) document["timezone"] = timeZone;
        if (state.Catchup is { } catchup) document["catchup"] = catchup;
        return document;
    }

    /// <summary>A whole number of seconds as an int (what Python writes for <c>interval=60</c>), else a double.</summary>
    private static BsonValue Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) <= int.MaxValue ? new BsonInt32((int)value) : new BsonDouble(value);

    /// <summary>The state of a document, or null when it lacks MRQ's hash, path or datelastqueued.</summary>
    private static ScheduledJobState? FromDocument(BsonDocument document)
    {
        if (MongoValues.ReadString(document.GetValue(HashField, null)) is not { } hash
            || MongoValues.ReadString(document.GetValue("path", null)) is not { } path
            || MongoValues.ReadDate(document.GetValue(DateLastQueuedField, null)) is not { } dateLastQueued)
        {
            return null;
        }

        return new ScheduledJobState
        {
            Hash = hash,
            Path = path,
            Params = document.GetValue("params", null) is BsonDocument parameters ? BsonJson.ToJsonObject(parameters) : null,
            Queue = MongoValues.ReadString(document.GetValue("queue", null)),
            Interval = MongoValues.ReadDouble(document.GetValue("interval", null)),
            DailyTime = MongoValues.ReadDate(document.GetValue("dailytime", null)),
            Weekday = (int?)MongoValues.ReadDouble(document.GetValue("weekday", null)),
            Monthday = (int?)MongoValues.ReadDouble(document.GetValue("monthday", null)),
            Cron = MongoValues.ReadString(document.GetValue("cron", null)),
            TimeZone = MongoValues.ReadString(document.GetValue("timezone", null)),
            Catchup = MongoValues.ReadString(document.GetValue("catchup", null)),
            DateLastQueued = dateLastQueued,
        };
    }
}
