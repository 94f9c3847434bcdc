using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoJobStore
{
    /// <summary>Ids per update batch, as MRQ's JobAction (<c>group_iter(..., n=1000)</c>).</summary>
    internal const int ActionBatchSize = 1000;

    /// <summary>
    /// MRQ's JobAction (mrq/basetasks/utils.py): reads the matching jobs' ids and statuses, then updates them by
    /// batches of <see cref="ActionBatchSize"/> ids, one <c>updateMany({_id: {$in: ids}, status: s}, …)</c> per
    /// status read, so each job changes only if it still has the status it was selected with. The batch's updates go
    /// in one unordered bulk write.
    /// </summary>
    public async ValueTask<long> ApplyActionAsync(JobAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var filter = action.EffectiveFilter();
        if (filter.Statuses is { Count: 0 })
        {
            return 0;
        }

        var update = ActionUpdate(action);
        var projection = Builders<BsonDocument>.Projection.Include(MrqJobFields.Status);
        var options = new FindOptions<BsonDocument, BsonDocument> { Projection = projection, BatchSize = ActionBatchSize };
        var selected = new List<(ObjectId Id, string Status)>();
        using (var cursor = await _jobs.FindAsync(JobFilterTranslator.Translate(filter), options, cancellationToken).ConfigureAwait(false))
        {
            // Every id is read before any update, so updated jobs never reappear in the cursor (MRQ freezes the
            // list for the same reason).
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var document in cursor.Current)
                {
                    if (document.GetValue(MrqJobFields.Id, BsonNull.Value) is BsonObjectId id
                        && MongoValues.ReadString(document.GetValue(MrqJobFields.Status, BsonNull.Value)) is { } status)
                    {
                        selected.Add((id.Value, status));
                    }
                }
            }
        }

        long changed = 0;
        foreach (var batch in selected.Chunk(ActionBatchSize))
        {
            changed += await UpdateBatchAsync(batch, update, cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    private async Task<long> UpdateBatchAsync((ObjectId Id, string Status)[] batch, UpdateDefinition<BsonDocument> update, CancellationToken cancellationToken)
    {
        var models = batch
            .GroupBy(job => job.Status, StringComparer.Ordinal)
            .Select(group => new UpdateManyModel<BsonDocument>(
                s_filter.And(
                    s_filter.In(MrqJobFields.Id, group.Select(job => (BsonValue)job.Id)),
                    s_filter.Eq(MrqJobFields.Status, group.Key)),
                update))
            .ToArray();
        var result = await _jobs.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
        return result.MatchedCount;
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

        return action.ExpiresAt is { } expires
            ? update.Set(MrqJobFields.DateExpires, MongoValues.Date(expires))
            : update.Unset(MrqJobFields.DateExpires);
    }
}
