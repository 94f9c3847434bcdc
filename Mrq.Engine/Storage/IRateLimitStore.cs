namespace Mrq.Storage;

/// <summary>Fixed-window counters for rate limits (MRQ's <c>ratelimit:&lt;key&gt;:&lt;int(now)//per&gt;</c>).</summary>
public interface IRateLimitStore
{
    /// <summary>Increments the counter of the window of <paramref name="per"/> seconds containing <paramref name="now"/>. Atomic.</summary>
    /// <returns>The count in that window after the increment.</returns>
    ValueTask<long> IncrementAsync(string key, int per, DateTime now, CancellationToken cancellationToken);
}
