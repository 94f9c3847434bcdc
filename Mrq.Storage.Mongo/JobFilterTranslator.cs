using System.Text.RegularExpressions;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

/// <summary>
/// Translates a <see cref="JobFilter"/> into the MongoDB query MRQ's JobAction builds (mrq/basetasks/utils.py),
/// agreeing with <see cref="JobFilter.Matches"/>: a queue ending in <c>/</c> selects the queue and its subqueues,
/// <c>params</c> keys match with <c>params.&lt;key&gt;</c> equality, lists with <c>$in</c>.
/// </summary>
internal static class JobFilterTranslator
{
    private static readonly FilterDefinitionBuilder<BsonDocument> s_filter = Builders<BsonDocument>.Filter;

    public static FilterDefinition<BsonDocument> Translate(JobFilter filter)
    {
        var clauses = new List<FilterDefinition<BsonDocument>>();
        if (filter.Ids is { } ids)
        {
            clauses.Add(s_filter.In(MrqJobFields.Id, ids.Select(id => (BsonValue)MongoValues.ToObjectId(id))));
        }

        if (filter.Queue is { } queue)
        {
            clauses.Add(QueueClause(queue));
        }

        if (filter.Statuses is { } statuses)
        {
            clauses.Add(s_filter.In(MrqJobFields.Status, statuses.Select(s => s.ToMrqName())));
        }

        if (filter.Paths is { } paths)
        {
            clauses.Add(s_filter.In(MrqJobFields.Path, paths));
        }

        if (filter.Worker is { } worker)
        {
            clauses.Add(s_filter.Eq(MrqJobFields.Worker, MongoValues.Worker(worker)));
        }

        if (filter.WorkerNotIn is { } workers)
        {
            // $nin alone also matches jobs without a worker, which JobFilter.Matches excludes.
            clauses.Add(s_filter.Exists(MrqJobFields.Worker));
            clauses.Add(s_filter.Ne(MrqJobFields.Worker, BsonNull.Value));
            clauses.Add(s_filter.Nin(MrqJobFields.Worker, workers.Select(MongoValues.Worker)));
        }

        if (filter.ExceptionType is { } exceptionType)
        {
            clauses.Add(s_filter.Eq(MrqJobFields.ExceptionType, exceptionType));
        }

        if (filter.Params is { } parameters)
        {
            foreach (var (key, value) in parameters)
            {
                clauses.Add(s_filter.Eq(MrqJobFields.Params + "." + key, BsonJson.ToBson(value)));
            }
        }

        if (filter.DateRetryBefore is { } dateRetry)
        {
            clauses.Add(s_filter.Lte(MrqJobFields.DateRetry, MongoValues.Date(dateRetry)));
        }

        if (filter.DateStartedBefore is { } dateStarted)
        {
            clauses.Add(s_filter.Lt(MrqJobFields.DateStarted, MongoValues.Date(dateStarted)));
        }

        if (filter.MaxId is { } maxId)
        {
            clauses.Add(s_filter.Lte(MrqJobFields.Id, MongoValues.ToObjectId(maxId)));
        }

        return clauses.Count switch
        {
            0 => s_filter.Empty,
            1 => clauses[0],
            _ => s_filter.And(clauses),
        };
    }

    /// <summary>
    /// The queue clause: exact, or for <c>name/</c> the queue <c>name</c> or anything under <c>name/</c>, as
    /// <c>{$or: [{queue: "name"}, {queue: {$gte: "name/", $lt: "name0"}}]}</c>: both branches are tight bounds on
    /// the queue index (a regex with <c>|</c> such as <c>^name(/|$)</c> is never bounded by MongoDB's planner).
    /// </summary>
    public static FilterDefinition<BsonDocument> QueueClause(string queue) =>
        queue.EndsWith('/')
            ? s_filter.Or(s_filter.Eq(MrqJobFields.Queue, queue[..^1]), QueuePrefixClause(queue))
            : s_filter.Eq(MrqJobFields.Queue, queue);

    /// <summary>
    /// Queues starting with <paramref name="prefix"/> (subqueue discovery): no filter for the empty prefix (so
    /// <c>distinct</c> is a DISTINCT_SCAN of the queue index, where <c>$exists</c> would fetch every document);
    /// otherwise the string range <c>[prefix, prefix with its last character + 1)</c>, which is exactly the strings
    /// with that prefix in MongoDB's binary (UTF-8) order when the last character is ASCII, and an anchored
    /// escaped regex, whose literal prefix the planner also bounds, when it is not.
    /// </summary>
    public static FilterDefinition<BsonDocument> QueuePrefixClause(string prefix)
    {
        if (prefix.Length == 0)
        {
            return s_filter.Empty;
        }

        var last = prefix[^1];
        return last < '\x7f'
            ? s_filter.And(s_filter.Gte(MrqJobFields.Queue, prefix), s_filter.Lt(MrqJobFields.Queue, prefix[..^1] + (char)(last + 1)))
            : s_filter.Regex(MrqJobFields.Queue, new BsonRegularExpression("^" + Regex.Escape(prefix)));
    }
}
