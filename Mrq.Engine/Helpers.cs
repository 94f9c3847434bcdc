using Mrq.Context;
using Mrq.Storage;

namespace Mrq;

/// <summary>MRQ's helpers: rate limits and metrics, using the current job's context.</summary>
public static class Helpers
{
    /// <summary>
    /// Counts an action against a fixed-window rate limit in the storage (MRQ's <c>ratelimit(key, limit, per)</c>):
    /// returns how many actions remain in the current <paramref name="per"/>-second window including this one,
    /// 0 when the limit was already reached. Uses the current job's storage.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside a job.</exception>
    public static ValueTask<long> RateLimitAsync(string key, int limit, int per = 1)
    {
        var context = MrqContext.Current ?? throw new InvalidOperationException("RateLimitAsync without a storage needs a current job; pass the storage explicitly.");
        return context.RateLimitAsync(key, limit, per);
    }

    /// <summary>The same as <see cref="RateLimitAsync(string, int, int)"/> on an explicit storage.</summary>
    public static async ValueTask<long> RateLimitAsync(MrqStorage storage, TimeProvider time, string key, int limit, int per = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfLessThan(per, 1);
        var count = await storage.RateLimits.IncrementAsync(key, per, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
        return count > limit ? 0 : limit - count + 1;
    }

    /// <summary>Records a metric through the current job's metrics (a <c>Mrq</c> meter counter and the configured hook); ignored outside a job.</summary>
    public static void Metric(string name, double increment = 1) => MrqContext.Current?.Metric(name, increment);
}
