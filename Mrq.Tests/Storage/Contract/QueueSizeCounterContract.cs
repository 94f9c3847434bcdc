using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The contract of <see cref="IQueueSizeCounter"/> (for backends that keep MRQ's queuesize counters).</summary>
public abstract class QueueSizeCounterContract : StorageContract<IQueueSizeCounter>
{
    /// <summary>A queue unique to the test (MRQ's queuesize keys carry no prefix, so fixtures may share a server).</summary>
    private string Q { get; set; } = "";

    [SetUp]
    public void NewQueue() => Q = "contract-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task GetAsync_Absent_Zero()
    {
        Assert.That(await Part.GetAsync(Q, Ct), Is.Zero);
    }

    [Test]
    public async Task AdjustAsync_PlusAndMinus_Summed()
    {
        await Part.AdjustAsync(new Dictionary<string, long> { [Q] = 5, [Q + "/b"] = 2 }, Ct);
        await Part.AdjustAsync(new Dictionary<string, long> { [Q] = -2 }, Ct);
        await Part.AdjustAsync(new Dictionary<string, long> { [Q] = 1, [Q + "/b"] = -2 }, Ct);

        Assert.That(await Part.GetAsync(Q, Ct), Is.EqualTo(4));
        Assert.That(await Part.GetAsync(Q + "/b", Ct), Is.Zero);
    }

    [Test]
    public async Task AdjustAsync_Concurrent_NoLostUpdates()
    {
        var tasks = Enumerable.Range(0, 50)
            .Select(i => Part.AdjustAsync(new Dictionary<string, long> { [Q] = i % 2 == 0 ? 3 : -1 }, Ct).AsTask());
        await Task.WhenAll(tasks);

        Assert.That(await Part.GetAsync(Q, Ct), Is.EqualTo((25 * 3) - 25));
    }
}
