using Mrq.Storage;

namespace Mrq.Storage.Redis;

/// <summary>
/// MRQ's paused set <c>P:s:paused</c> (SADD / SREM / SMEMBERS of queue names), written with MRQ's pausable id so
/// Python workers see the same pauses (<see cref="QueueNames.PausableId"/>).
/// </summary>
internal sealed class RedisQueueStateStore(RedisConnection connection, RedisKeys keys) : IQueueStateStore
{
    public async ValueTask PauseAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.SetAddAsync(keys.Paused, QueueNames.PausableId(queue)).ConfigureAwait(false);
    }

    public async ValueTask ResumeAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.SetRemoveAsync(keys.Paused, QueueNames.PausableId(queue)).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlySet<string>> GetPausedAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var db = await connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var members = await db.SetMembersAsync(keys.Paused).ConfigureAwait(false);
        var paused = new HashSet<string>(members.Length, StringComparer.Ordinal);
        foreach (var member in members)
        {
            paused.Add(member.ToString());
        }

        return paused;
    }
}
