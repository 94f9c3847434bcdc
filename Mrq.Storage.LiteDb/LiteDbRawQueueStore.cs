using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// MRQ's raw queues (<c>_raw</c>, <c>_set</c>, <c>_sorted_set</c>, <c>_timed_set</c>) in one collection keyed as
/// <see cref="RawQueueKeys"/> describes. Every call is one writer operation, so it is one transaction.
/// </summary>
internal sealed partial class LiteDbRawQueueStore : IRawQueueStore
{
    private readonly LiteDbDatabase _database;

    // The last sequence handed out (also each member's _id); read from the file on first use, touched only by the writer.
    private long _sequence = -1;

    public LiteDbRawQueueStore(LiteDbDatabase database)
    {
        _database = database;
    }

    private ILiteCollection<BsonDocument> Members => _database.Collection(LiteDbCollections.RawQueues);

    /// <inheritdoc/>
    public async ValueTask PushAsync(string queue, IReadOnlyList<RawQueueItem> items, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(items);
        var type = TypeOf(queue);
        var nowScore = UnixSeconds(now);
        var members = new List<(string Member, double? Score)>(items.Count);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            ArgumentNullException.ThrowIfNull(item.Member, nameof(items));
            var score = type switch
            {
                RawQueueType.SortedSet => item.Score ?? throw new ArgumentException($"Sorted set '{queue}' needs a score for member '{item.Member}'.", nameof(items)),
                RawQueueType.TimedSet => item.Score ?? nowScore,
                _ => (double?)null,
            };
            members.Add((item.Member, score));
        }

        if (members.Count == 0)
        {
            return;
        }

        var root = QueueNames.Root(queue);
        var subqueue = root.Length == queue.Length ? null : queue;
        await _database.WriteAsync(
            database =>
            {
                var collection = Members;
                foreach (var (member, score) in members)
                {
                    if (type == RawQueueType.List)
                    {
                        collection.Insert(NewMember(database, queue, member, null));
                        continue;
                    }

                    var existing = FindMember(collection, queue, member);
                    if (existing is null)
                    {
                        collection.Insert(NewMember(database, queue, member, score));
                    }
                    else if (score is { } newScore && existing[RawQueueKeys.ScoreField].AsDouble != newScore)
                    {
                        Rescore(existing, queue, newScore);
                        collection.Update(existing);
                    }
                }

                if (subqueue is not null)
                {
                    _database.Collection(LiteDbCollections.KnownSubqueues).Upsert(new BsonDocument { ["_id"] = subqueue, ["root"] = root });
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> PopAsync(string queue, int maxCount, DateTime now, TimeSpan? pushback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var type = TypeOf(queue);
        if (maxCount <= 0)
        {
            return [];
        }

        var nowScore = UnixSeconds(now);
        var highest = type == RawQueueType.TimedSet ? RawQueueKeys.ScoreEnd(queue, nowScore) : RawQueueKeys.End(queue);
        var lowest = RawQueueKeys.Start(queue);
        var pushedTo = type == RawQueueType.TimedSet && pushback is { } delay ? nowScore + delay.TotalSeconds : (double?)null;
        return await _database.WriteAsync<IReadOnlyList<string>>(
            database =>
            {
                var collection = Members;
                var due = collection.Query()
                    .Where(Expressions.Between(RawQueueKeys.OrderField, lowest, highest))
                    .Limit(maxCount)
                    .ToList();
                var popped = new string[due.Count];
                for (var i = 0; i < due.Count; i++)
                {
                    var doc = due[i];
                    popped[i] = doc[RawQueueKeys.MemberField].AsString;
                    if (pushedTo is { } score)
                    {
                        Rescore(doc, queue, score);
                        collection.Update(doc);
                    }
                    else
                    {
                        collection.Delete(doc["_id"]);
                    }
                }

                return popped;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<long> SizeAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var count = Members.Query()
            .Where(Expressions.Between(RawQueueKeys.OrderField, RawQueueKeys.Start(queue), RawQueueKeys.End(queue)))
            .Select("$." + RawQueueKeys.OrderField)
            .ToEnumerable()
            .LongCount();
        return new(count);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<RawQueueItem>> ListAsync(string queue, int skip, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var scored = TypeOf(queue) is RawQueueType.SortedSet or RawQueueType.TimedSet;
        var items = Members.Query()
            .Where(Expressions.Between(RawQueueKeys.OrderField, RawQueueKeys.Start(queue), RawQueueKeys.End(queue)))
            .Skip(skip)
            .Limit(limit)
            .ToEnumerable()
            .Select(doc => new RawQueueItem(doc[RawQueueKeys.MemberField].AsString, scored ? doc[RawQueueKeys.ScoreField].AsDouble : null))
            .ToList();
        return new(items);
    }

    /// <inheritdoc/>
    public async ValueTask<long> RemoveAsync(string queue, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(members);
        TypeOf(queue);
        var keys = members.Distinct(StringComparer.Ordinal).Select(member => (Member: member, Key: RawQueueKeys.Member(queue, member))).ToList();
        return await _database.WriteAsync(
            database =>
            {
                var collection = Members;
                long removed = 0;
                foreach (var (member, key) in keys)
                {
                    foreach (var doc in collection.Find(Expressions.Equal(RawQueueKeys.MemberKeyField, key)).ToList())
                    {
                        if (doc[RawQueueKeys.MemberField].AsString == member && collection.Delete(doc["_id"]))
                        {
                            removed++;
                        }
                    }
                }

                return removed;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
