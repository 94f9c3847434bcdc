namespace Mrq.Storage;

/// <summary>Non-blocking expiring locks (MRQ's <c>c:&lt;path&gt;</c> max_concurrency locks: SET NX PX + compare-and-delete).</summary>
public interface ILockStore
{
    /// <summary>Takes the lock when free or expired. Atomic.</summary>
    /// <returns>True when taken by <paramref name="token"/>.</returns>
    ValueTask<bool> TryAcquireAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Releases the lock only if <paramref name="token"/> still holds it. Atomic.</summary>
    /// <returns>True when released.</returns>
    ValueTask<bool> ReleaseAsync(string key, string token, CancellationToken cancellationToken);

    /// <summary>Resets the lock's time to live to <paramref name="ttl"/> only if <paramref name="token"/> still holds it. Atomic.</summary>
    /// <returns>True when extended; false when the lock expired or another token holds it.</returns>
    ValueTask<bool> ExtendAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken);
}
