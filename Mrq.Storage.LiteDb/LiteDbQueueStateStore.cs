using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>The paused-queue set: one document per paused queue, its name as id.</summary>
internal sealed class LiteDbQueueStateStore : IQueueStateStore
{
    private readonly LiteDbDatabase _database;

    public LiteDbQueueStateStore(LiteDbDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc/>
    public async ValueTask PauseAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        await _database.WriteAsync(
            database => _database.Collection(LiteDbCollections.Paused).Upsert(new BsonDocument { ["_id"] = queue }),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ResumeAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        await _database.WriteAsync(database => _database.Collection(LiteDbCollections.Paused).Delete(queue), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlySet<string>> GetPausedAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var paused = _database.Collection(LiteDbCollections.Paused).FindAll().Select(doc => doc["_id"].AsString).ToHashSet(StringComparer.Ordinal);
        return new(paused);
    }
}
