using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>Expiring locks: <c>{_id: key, token, expires}</c>, taken and released on the writer (so atomically).</summary>
internal sealed class LiteDbLockStore : ILockStore
{
    private const string TokenField = "token";
    private const string ExpiresField = "expires";

    private readonly LiteDbDatabase _database;

    public LiteDbLockStore(LiteDbDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAcquireAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken) =>
        TimedWriteAsync(
            key,
            token,
            ttl,
            (locks, now) =>
            {
                if (locks.FindById(key) is { } held && Live(held, now))
                {
                    return false;
                }

                locks.Upsert(new BsonDocument { ["_id"] = key, [TokenField] = token, [ExpiresField] = now + ttl });
                return true;
            },
            cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<bool> ReleaseAsync(string key, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        var time = _database.Time;
        return await _database.WriteAsync(
            database =>
            {
                var locks = _database.Collection(LiteDbCollections.Locks);
                if (locks.FindById(key) is not { } held || held[TokenField].AsString != token)
                {
                    return false;
                }

                // An expired lock is no longer held, even by its last token.
                var live = Live(held, time.GetUtcNow().UtcDateTime);
                locks.Delete(key);
                return live;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> ExtendAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken) =>
        TimedWriteAsync(
            key,
            token,
            ttl,
            (locks, now) =>
            {
                if (locks.FindById(key) is not { } held || held[TokenField].AsString != token || !Live(held, now))
                {
                    return false;
                }

                held[ExpiresField] = now + ttl;
                locks.Update(held);
                return true;
            },
            cancellationToken);

    /// <summary>Runs <paramref name="write"/> on the writer with the locks collection and the store's time, after the checks every timed call shares.</summary>
    private async ValueTask<bool> TimedWriteAsync(string key, string token, TimeSpan ttl, Func<ILiteCollection<BsonDocument>, DateTime, bool> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var time = _database.Time;
        return await _database.WriteAsync(
            _ => write(_database.Collection(LiteDbCollections.Locks), time.GetUtcNow().UtcDateTime),
            cancellationToken).ConfigureAwait(false);
    }

    private static bool Live(BsonDocument held, DateTime now) => JobDocuments.Utc(held[ExpiresField].AsDateTime) > now;
}
