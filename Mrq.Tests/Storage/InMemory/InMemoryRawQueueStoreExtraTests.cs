using Mrq.Storage;
using Mrq.Storage.InMemory;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

/// <summary>In-memory raw queue behaviour beyond the contract: set order, pushback on a sorted set, validation.</summary>
[TestFixture]
[Category("inmemory")]
public sealed class InMemoryRawQueueStoreExtraTests
{
    private static readonly DateTime s_now = new(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private static readonly CancellationToken s_none = CancellationToken.None;

    private IRawQueueStore _store = null!;

    private static string[] Of(params string[] members) => members;

    [SetUp]
    public void CreateStore() => _store = InMemoryStorage.AddTo(new MrqStorageParts()).RawQueues!;

    [Test]
    public async Task PopAsync_Set_InsertionOrderAndListedWithoutScores()
    {
        await _store.PushAsync("s_set", [new("c"), new("a"), new("b"), new("a")], s_now, s_none);

        var listed = await _store.ListAsync("s_set", 0, 10, s_none);
        var popped = await _store.PopAsync("s_set", 10, s_now, null, s_none);

        Assert.That(listed.Select(i => i.Member), Is.EqualTo(Of("c", "a", "b")));
        Assert.That(listed.Select(i => i.Score), Is.All.Null);
        Assert.That(popped, Is.EqualTo(Of("c", "a", "b")));
    }

    [Test]
    public async Task PopAsync_SortedSetWithPushback_RemovesRegardless()
    {
        await _store.PushAsync("p_sorted_set", [new("x", 1e12)], s_now, s_none);

        var popped = await _store.PopAsync("p_sorted_set", 10, s_now, TimeSpan.FromSeconds(5), s_none);

        Assert.That(popped, Is.EqualTo(Of("x")));
        Assert.That(await _store.SizeAsync("p_sorted_set", s_none), Is.Zero);
    }

    [Test]
    public async Task PopAsync_SortedSetEqualScores_OrderedByMember()
    {
        await _store.PushAsync("t_sorted_set", [new("b", 1), new("c", 1), new("a", 1)], s_now, s_none);

        Assert.That(await _store.PopAsync("t_sorted_set", 10, s_now, null, s_none), Is.EqualTo(Of("a", "b", "c")));
    }

    [Test]
    public async Task PushAsync_SortedSetOneItemWithoutScore_NothingAdded()
    {
        Assert.ThrowsAsync<ArgumentException>(async () =>
            await _store.PushAsync("v_sorted_set", [new("ok", 1), new("missing")], s_now, s_none));

        Assert.That(await _store.SizeAsync("v_sorted_set", s_none), Is.Zero);
    }

    [Test]
    public void Calls_RegularQueueName_ThrowArgumentException()
    {
        Assert.ThrowsAsync<ArgumentException>(async () => await _store.PopAsync("default", 1, s_now, null, s_none));
        Assert.ThrowsAsync<ArgumentException>(async () => await _store.SizeAsync("default", s_none));
        Assert.ThrowsAsync<ArgumentException>(async () => await _store.ListAsync("default", 0, 1, s_none));
        Assert.ThrowsAsync<ArgumentException>(async () => await _store.RemoveAsync("default", ["x"], s_none));
    }
}
