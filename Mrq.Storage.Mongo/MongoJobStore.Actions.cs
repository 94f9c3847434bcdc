using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoJobStore
{
    /// <summary>Ids per update batch, as MRQ's JobAction (<c>group_iter(..., n=1000)</c>).</summary>
    internal const int ActionBatchSize = 1000;

    /// <summary>
    /// MRQ's JobAction (mrq/basetasks/utils.py), paged: reads the next <see cref="ActionBatchSize"/> matching jobs
    /// by <c>_id</c> ascending after the last one seen (<c>{filter, _id: {$gt: last}}</c>, id and status only), and
    /// updates that page before reading the next, so memory stays bounded and updated jobs are never revisited (the
    /// scan only moves forward). Each page goes out as one bulk write of <c>updateMany({filter, _id: {$in: ids},
    /// status: s}, …)</c> per status read: the compare-and-set re-checks the status each job was read with AND every
    /// predicate of the action's own filter (worker, dates…), so a job that moved and was claimed by a live worker
    /// between the read and the write is left alone.
    /// </summary>
    public async ValueTask<long> ApplyActionAsync(JobAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var filter = action.EffectiveFilter();
        if (filter.Statuses is { Count: 0 })
        {
            return 0;
        }

        var predicates = JobFilterTranslator.Translate(filter);
        var updates = ActionUpdates(action);
        var find = new FindOptions<BsonDocument, BsonDocument>
        {
            Projection = Builders<BsonDocument>.Projection.Include(MrqJobFields.Status),
            Sort = Builders<BsonDocument>.Sort.Ascending(MrqJobFields.Id),
            Limit = ActionBatchSize,
            BatchSize = ActionBatchSize,
        };
        long changed = 0;
        ObjectId? last = null;
        while (true)
        {
            var page = await ReadActionPageAsync(last is { } after ? s_filter.And(predicates, s_filter.Gt(MrqJobFields.Id, after)) : predicates, find, cancellationToken)
                .ConfigureAwait(false);
            if (page.Count == 0)
            {
                return changed;
            }

            if (AfterActionPageRead is { } hook)
            {
                await hook(cancellationToken).ConfigureAwait(false);
            }

            changed += await UpdatePageAsync(page, predicates, updates, cancellationToken).ConfigureAwait(false);
            if (page.Count < ActionBatchSize)
            {
                return changed;
            }

            last = page[^1].Id;
        }
    }

    /// <summary>Tests only: runs between reading a page of a job action and updating it (to move jobs in between).</summary>
    internal Func<CancellationToken, Task>? AfterActionPageRead { get; set; }

    private async Task<List<(ObjectId Id, string Status)>> ReadActionPageAsync(
        FilterDefinition<BsonDocument> filter, FindOptions<BsonDocument, BsonDocument> options, CancellationToken cancellationToken)
    {
        var page = new List<(ObjectId Id, string Status)>(ActionBatchSize);
        using var cursor = await _jobs.FindAsync(filter, options, cancellationToken).ConfigureAwait(false);
        while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in cursor.Current)
            {
                if (document.GetValue(MrqJobFields.Id, BsonNull.Value) is BsonObjectId id
                    && MongoValues.ReadString(document.GetValue(MrqJobFields.Status, BsonNull.Value)) is { } status)
                {
                    page.Add((id.Value, status));
                }
            }
        }

        return page;
    }

    private async Task<long> UpdatePageAsync(
        List<(ObjectId Id, string Status)> page, FilterDefinition<BsonDocument> predicates,
        IReadOnlyList<(FilterDefinition<BsonDocument>? Only, UpdateDefinition<BsonDocument> Update)> updates, CancellationToken cancellationToken)
    {
        var models = new List<WriteModel<BsonDocument>>();
        foreach (var group in page.GroupBy(job => job.Status, StringComparer.Ordinal))
        {
            var selected = s_filter.And(
                predicates,
                s_filter.In(MrqJobFields.Id, group.Select(job => (BsonValue)job.Id)),
                s_filter.Eq(MrqJobFields.Status, group.Key));
            foreach (var (only, update) in updates)
            {
                models.Add(new UpdateManyModel<BsonDocument>(only is null ? selected : s_filter.And(selected, only), update));
            }
        }

        // Ordered: a lost job's two updates have disjoint filters, and the first one moves the jobs it fails.
        var result = await _jobs.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = true }, cancellationToken).ConfigureAwait(false);
        return result.MatchedCount;
    }

    /// <summary>
    /// The action's updates, each with the extra condition it applies under (null: every selected job). A lost-job
    /// requeue is two: the jobs whose <c>lost_count</c> reaches the limit fail (WorkerLost), the others are requeued;
    /// both count the lost run with <c>$inc</c>.
    /// </summary>
    private static IReadOnlyList<(FilterDefinition<BsonDocument>? Only, UpdateDefinition<BsonDocument> Update)> ActionUpdates(JobAction action)
    {
        if (action.Kind != JobActionKind.RequeueLost)
        {
            return [(null, ActionUpdate(action))];
        }

        // lost_count + 1 >= limit, i.e. lost_count >= limit - 1 (absent counts as 0).
        var failing = s_filter.Gte(MrqJobFields.LostCount, action.LostLimit - 1);
        var failed = s_update.Combine(
            s_update.Set(MrqJobFields.Status, JobStatus.Failed.ToMrqName())
                .Set(MrqJobFields.DateUpdated, MongoValues.Date(action.Now))
                .Set(MrqJobFields.ExceptionType, WorkerLost.ExceptionType)
                .Set(MrqJobFields.Traceback, WorkerLost.Traceback(Math.Max(1, action.LostLimit)))
                .Inc(MrqJobFields.LostCount, 1),
            ExpiresUpdate(action));
        var requeued = s_update.Combine(ActionUpdate(action), s_update.Inc(MrqJobFields.LostCount, 1));
        return action.LostLimit <= 1
            ? [(null, failed)]
            : [(failing, failed), (s_filter.Not(failing), requeued)];
    }

    // cancel: {status: "cancel", dateexpires, dateupdated}; requeue: {status: "queued", datequeued, dateupdated
    // [, queue][, retry_count: 0]} with dateexpires as the action says.
    private static UpdateDefinition<BsonDocument> ActionUpdate(JobAction action)
    {
        var now = MongoValues.Date(action.Now);
        var update = s_update
            .Set(MrqJobFields.Status, action.TargetStatus.ToMrqName())
            .Set(MrqJobFields.DateUpdated, now);
        if (action.Kind != JobActionKind.Cancel)
        {
            update = update.Set(MrqJobFields.DateQueued, now);
            if (action.DestinationQueue is { } destination)
            {
                update = update.Set(MrqJobFields.Queue, destination);
            }

            if (action.Kind == JobActionKind.Requeue)
            {
                update = update.Set(MrqJobFields.RetryCount, 0);
            }
        }

        return s_update.Combine(update, ExpiresUpdate(action));
    }

    private static UpdateDefinition<BsonDocument> ExpiresUpdate(JobAction action) =>
        action.ExpiresAt is { } expires
            ? s_update.Set(MrqJobFields.DateExpires, MongoValues.Date(expires))
            : s_update.Unset(MrqJobFields.DateExpires);
}
