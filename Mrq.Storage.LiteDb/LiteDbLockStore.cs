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
    public async ValueTask<bool> TryAcquireAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var time = _database.Time;
        return await _database.WriteAsync(
            database =>
            {
                var locks = _database.Collection(LiteDbCollections.Locks);
                var now = time.GetUtcNow().UtcDateTime;
                if (locks.FindById(key) is { } held && JobDocuments.Utc(held[ExpiresField].AsDateTime) > now)
                {
                    return false;
                }

                locks.Upsert(new BsonDocument { ["_id"] = key, [TokenField] = token, [ExpiresField] = now + ttl });
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

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
                var live = JobDocuments.Utc(held[ExpiresField].AsDateTime) > time.GetUtcNow().UtcDateTime;
                locks.Delete(key);
                return live;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> ExtendAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var time = _database.Time;
        return await _database.WriteAsync(
            database =>
            {
                var locks = _database.Collection(LiteDbCollections.Locks);
                var now = time.GetUtcNow().UtcDateTime;
                if (locks.FindById(key) is not { } held || held[TokenField].AsString != token || JobDocuments.Utc(held[ExpiresField].AsDateTime) <= now)
                {
                    return false;
                }

                held[ExpiresField] = now + ttl;
                locks.Update(held);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
