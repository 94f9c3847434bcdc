using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// MRQ's Redis key layout (reference §2.4, mrq/redishelpers.py). The engine passes logical, unprefixed names; this
/// class alone decides which keys get the <c>redis_prefix</c>:
/// <list type="table">
/// <item><term><c>P:q:&lt;queue&gt;</c></term><description>raw queue contents (full queue name, subqueue included)</description></item>
/// <item><term><c>P:ksq:&lt;root&gt;</c></term><description>known subqueues of a raw root queue</description></item>
/// <item><term><c>P:s:paused</c></term><description>paused queue names</description></item>
/// <item><term><c>P:notify:&lt;root&gt;</c></term><description>worker wake-up list</description></item>
/// <item><term><c>P:&lt;lock key&gt;</c></term><description>locks, e.g. <c>P:c:&lt;task path&gt;</c>, <c>P:schedulerlock</c></description></item>
/// <item><term><c>queuesize:&lt;queue&gt;</c></term><description>regular queue size counter, <b>no prefix</b></description></item>
/// <item><term><c>ratelimit:&lt;key&gt;:&lt;bucket&gt;</c></term><description>rate limit window counter, <b>no prefix</b></description></item>
/// </list>
/// </summary>
internal sealed class RedisKeys
{
    private readonly string _prefix;

    public RedisKeys(string prefix)
    {
        _prefix = prefix;
        Paused = new RedisKey(prefix + ":s:paused");
    }

    /// <summary><c>P:s:paused</c>.</summary>
    public RedisKey Paused { get; }

    /// <summary><c>P:q:&lt;queue&gt;</c>.</summary>
    public RedisKey Queue(string queue) => new(_prefix + ":q:" + queue);

    /// <summary><c>P:ksq:&lt;root of queue&gt;</c>.</summary>
    public RedisKey KnownSubqueues(string queue) => new(_prefix + ":ksq:" + QueueNames.Root(queue));

    /// <summary><c>P:notify:&lt;root of queue&gt;</c>.</summary>
    public RedisKey Notify(string queue) => new(_prefix + ":notify:" + QueueNames.Root(queue));

    /// <summary><c>P:&lt;key&gt;</c> (the engine passes <c>c:&lt;path&gt;</c> for max_concurrency).</summary>
    public RedisKey Lock(string key) => new(_prefix + ":" + key);

    /// <summary><c>queuesize:&lt;queue&gt;</c>, unprefixed as in MRQ.</summary>
    public static RedisKey QueueSize(string queue) => new("queuesize:" + queue);

    /// <summary><c>ratelimit:&lt;key&gt;:&lt;window&gt;</c>, unprefixed as in MRQ.</summary>
    public static RedisKey RateLimit(string key, long window) =>
        new("ratelimit:" + key + ":" + window.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
