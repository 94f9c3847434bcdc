using LiteDB;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbRawQueueStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> KnownSubqueuesAsync(string rootQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rootQueue);
        cancellationToken.ThrowIfCancellationRequested();
        var subqueues = _database.Collection(LiteDbCollections.KnownSubqueues)
            .Find(Expressions.Equal("root", QueueNames.Root(rootQueue)))
            .Select(doc => doc["_id"].AsString)
            .ToList();
        return new(subqueues);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> ForgetSubqueueAsync(string rootQueue, string subqueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rootQueue);
        ArgumentNullException.ThrowIfNull(subqueue);
        var root = QueueNames.Root(rootQueue);
        var members = Expressions.Between(RawQueueKeys.OrderField, RawQueueKeys.Start(subqueue), RawQueueKeys.End(subqueue));

        // On the writer, so no push can come between the emptiness check and the delete.
        return await _database.WriteAsync(
            database =>
            {
                var known = _database.Collection(LiteDbCollections.KnownSubqueues);
                return known.FindById(subqueue) is { } doc
                    && doc["root"].AsString == root
                    && !Members.Exists(members)
                    && known.Delete(subqueue);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static RawQueueType TypeOf(string queue)
    {
        var type = QueueNames.RawType(queue);
        return type != RawQueueType.None
            ? type
            : throw new ArgumentException($"'{queue}' is not a raw queue (its root name must end with _raw, _set, _sorted_set or _timed_set).", nameof(queue));
    }

    private static double UnixSeconds(DateTime time) => (JobDocuments.Utc(time) - DateTime.UnixEpoch).TotalSeconds;

    private static BsonDocument? FindMember(ILiteCollection<BsonDocument> collection, string queue, string member)
    {
        foreach (var doc in collection.Find(Expressions.Equal(RawQueueKeys.MemberKeyField, RawQueueKeys.Member(queue, member))))
        {
            if (doc[RawQueueKeys.MemberField].AsString == member)
            {
                return doc;
            }
        }

        return null;
    }

    /// <summary>A new member document; sequences come from the file's highest id, so they grow across restarts.</summary>
    private BsonDocument NewMember(LiteDatabase database, string queue, string member, double? score)
    {
        if (_sequence < 0)
        {
            var highest = _database.Collection(LiteDbCollections.RawQueues).Query()
                .OrderByDescending("$._id")
                .Select("$._id")
                .Limit(1)
                .ToEnumerable()
                .Select(row => row["_id"])
                .FirstOrDefault();
            _sequence = highest is { IsNumber: true } ? highest.AsInt64 : 0;
        }

        var sequence = ++_sequence;
        var doc = new BsonDocument
        {
            ["_id"] = sequence,
            [RawQueueKeys.QueueField] = queue,
            [RawQueueKeys.MemberField] = member,
            [RawQueueKeys.MemberKeyField] = RawQueueKeys.Member(queue, member),
        };
        if (score is { } s)
        {
            doc[RawQueueKeys.ScoreField] = s;
            doc[RawQueueKeys.OrderField] = RawQueueKeys.Scored(queue, s, sequence);
        }
        else
        {
            doc[RawQueueKeys.OrderField] = RawQueueKeys.Ordered(queue, sequence);
        }

        return doc;
    }

    private static void Rescore(BsonDocument doc, string queue, double score)
    {
        doc[RawQueueKeys.ScoreField] = score;
        doc[RawQueueKeys.OrderField] = RawQueueKeys.Scored(queue, score, doc["_id"].AsInt64);
    }
}
