using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The contract of <see cref="IRateLimitStore"/>: fixed windows of <c>per</c> seconds, by explicit times.</summary>
public abstract class RateLimitStoreContract : StorageContract<IRateLimitStore>
{
    /// <summary>A time on a window boundary for per = 60 and per = 10 (Unix seconds divisible by 60); near now, as real counters expire.</summary>
    private static readonly DateTime s_windowStart = DateTime.UnixEpoch.AddSeconds(
        Math.Floor((DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds / 60) * 60);

    /// <summary>A key unique to the test (MRQ's ratelimit keys carry no prefix, so fixtures may share a server).</summary>
    private string K { get; set; } = "";

    [SetUp]
    public void NewKey() => K = "contract-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task IncrementAsync_SameWindow_Counts123()
    {
        var counts = new List<long>
        {
            await Part.IncrementAsync(K, 60, s_windowStart, Ct),
            await Part.IncrementAsync(K, 60, s_windowStart.AddSeconds(30), Ct),
            await Part.IncrementAsync(K, 60, s_windowStart.AddSeconds(59.9), Ct),
        };

        Assert.That(counts, Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task IncrementAsync_NextWindow_StartsAtOne()
    {
        await Part.IncrementAsync(K, 60, s_windowStart, Ct);
        await Part.IncrementAsync(K, 60, s_windowStart.AddSeconds(1), Ct);

        var next = await Part.IncrementAsync(K, 60, s_windowStart.AddSeconds(60), Ct);
        var nextAgain = await Part.IncrementAsync(K, 60, s_windowStart.AddSeconds(61), Ct);

        Assert.That(next, Is.EqualTo(1));
        Assert.That(nextAgain, Is.EqualTo(2));
    }

    [Test]
    public async Task IncrementAsync_OtherPerOrKey_OtherCounter()
    {
        await Part.IncrementAsync(K, 60, s_windowStart, Ct);
        await Part.IncrementAsync(K, 60, s_windowStart, Ct);

        var otherPer = await Part.IncrementAsync(K, 10, s_windowStart, Ct);
        var otherKey = await Part.IncrementAsync(K + "-other", 60, s_windowStart, Ct);
        var same = await Part.IncrementAsync(K, 60, s_windowStart, Ct);

        Assert.That(otherPer, Is.EqualTo(1));
        Assert.That(otherKey, Is.EqualTo(1));
        Assert.That(same, Is.EqualTo(3));
    }

    [Test]
    public async Task IncrementAsync_Concurrent_EachIncrementCounted()
    {
        var tasks = Enumerable.Range(0, 40).Select(_ => Part.IncrementAsync(K + "-busy", 60, s_windowStart, Ct).AsTask()).ToArray();

        var counts = await Task.WhenAll(tasks);

        Assert.That(counts, Is.EquivalentTo(Enumerable.Range(1, 40).Select(i => (long)i)));
    }
}
