using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The contract of <see cref="IRawQueueStore"/>: MRQ's four raw queue types by name suffix.</summary>
public abstract class RawQueueStoreContract : StorageContract<IRawQueueStore>
{
    /// <summary>A fixed whole-second time, so scores are exact.</summary>
    protected static readonly DateTime Now = new(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    protected static double Unix(DateTime time) => (time - DateTime.UnixEpoch).TotalSeconds;

    private static RawQueueItem[] Items(params string[] members) => members.Select(m => new RawQueueItem(m)).ToArray();

    private Task PushAsync(string queue, params RawQueueItem[] items) => Part.PushAsync(queue, items, Now, Ct).AsTask();

    private async Task<IReadOnlyList<string>> PopAsync(string queue, int maxCount = 100, DateTime? now = null, TimeSpan? pushback = null) =>
        await Part.PopAsync(queue, maxCount, now ?? Now, pushback, Ct);

    [Test]
    public async Task PushAsync_RawList_KeepsDuplicatesInFifoOrder()
    {
        await PushAsync("q_raw", Items("aaa", "bbb", "ccc", "bbb"));

        Assert.That(await Part.SizeAsync("q_raw", Ct), Is.EqualTo(4));
        Assert.That(await PopAsync("q_raw"), Is.EqualTo(new[] { "aaa", "bbb", "ccc", "bbb" }));
        Assert.That(await Part.SizeAsync("q_raw", Ct), Is.Zero);
    }

    [Test]
    public async Task PopAsync_RawListAcrossPushes_FifoAndMaxCount()
    {
        await PushAsync("q_raw", Items("1", "2"));
        await PushAsync("q_raw", Items("3"));

        var first = await PopAsync("q_raw", 2);
        await PushAsync("q_raw", Items("4"));
        var rest = await PopAsync("q_raw", 10);

        Assert.That(first, Is.EqualTo(new[] { "1", "2" }));
        Assert.That(rest, Is.EqualTo(new[] { "3", "4" }));
    }

    [Test]
    public async Task PushAsync_Set_KeepsMembersUnique()
    {
        await PushAsync("q_set", Items("aaa", "bbb", "ccc", "bbb"));

        Assert.That(await Part.SizeAsync("q_set", Ct), Is.EqualTo(3));
        Assert.That(await PopAsync("q_set"), Is.EquivalentTo(new[] { "aaa", "bbb", "ccc" }));
        Assert.That(await Part.SizeAsync("q_set", Ct), Is.Zero);
    }

    [Test]
    public async Task PopAsync_Set_MaxCountRespected()
    {
        await PushAsync("q_set", Items("a", "b", "c"));

        var first = await PopAsync("q_set", 2);
        var second = await PopAsync("q_set", 2);

        Assert.That(first, Has.Count.EqualTo(2));
        Assert.That(second, Has.Count.EqualTo(1));
        Assert.That(first.Concat(second), Is.EquivalentTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public async Task PopAsync_SortedSet_LowestScoreFirst()
    {
        await PushAsync("q_sorted_set", new RawQueueItem("c", 3), new RawQueueItem("a", -1), new RawQueueItem("b", 2.5));

        var first = await PopAsync("q_sorted_set", 2);
        var rest = await PopAsync("q_sorted_set", 2);

        Assert.That(first, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(rest, Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public async Task PushAsync_SortedSetExistingMember_UpdatesScore()
    {
        await PushAsync("q_sorted_set", new RawQueueItem("x", 1), new RawQueueItem("y", 2));
        await PushAsync("q_sorted_set", new RawQueueItem("x", 3));

        Assert.That(await Part.SizeAsync("q_sorted_set", Ct), Is.EqualTo(2));
        Assert.That(await PopAsync("q_sorted_set"), Is.EqualTo(new[] { "y", "x" }));
    }

    [Test]
    public void PushAsync_SortedSetWithoutScore_ThrowsArgumentException()
    {
        Assert.ThrowsAsync<ArgumentException>(async () => await Part.PushAsync("q_sorted_set", [new RawQueueItem("x")], Now, Ct));
    }

    [Test]
    public async Task PopAsync_TimedSet_OnlyDueMembersInScoreOrder()
    {
        await PushAsync(
            "q_timed_set",
            new RawQueueItem("later", Unix(Now) + 100),
            new RawQueueItem("now"),
            new RawQueueItem("past", Unix(Now) - 10),
            new RawQueueItem("exact", Unix(Now)));

        var due = await PopAsync("q_timed_set");
        var notYet = await PopAsync("q_timed_set", now: Now.AddSeconds(99));
        var atDue = await PopAsync("q_timed_set", now: Now.AddSeconds(100));

        Assert.That(due, Has.Count.EqualTo(3));
        Assert.That(due[0], Is.EqualTo("past"));
        Assert.That(due.Skip(1), Is.EquivalentTo(new[] { "now", "exact" }));
        Assert.That(notYet, Is.Empty);
        Assert.That(atDue, Is.EqualTo(new[] { "later" }));
    }

    [Test]
    public async Task PushAsync_TimedSetMissingScore_ScoredNow()
    {
        await PushAsync("q_timed_set", new RawQueueItem("m"));

        var listed = await Part.ListAsync("q_timed_set", 0, 10, Ct);

        Assert.That(listed, Has.Count.EqualTo(1));
        Assert.That(listed[0].Member, Is.EqualTo("m"));
        Assert.That(listed[0].Score, Is.EqualTo(Unix(Now)).Within(0.001));
    }

    [Test]
    public async Task PushAsync_TimedSetRepush_Reschedules()
    {
        await PushAsync("q_timed_set", new RawQueueItem("x", Unix(Now) - 1));
        await PushAsync("q_timed_set", new RawQueueItem("x", Unix(Now) + 100));

        Assert.That(await Part.SizeAsync("q_timed_set", Ct), Is.EqualTo(1));
        Assert.That(await PopAsync("q_timed_set"), Is.Empty);
        Assert.That(await PopAsync("q_timed_set", now: Now.AddSeconds(100)), Is.EqualTo(new[] { "x" }));
    }

    [Test]
    public async Task PopAsync_TimedSetPushback_RescoresInsteadOfRemoving()
    {
        await PushAsync("q_timed_set", new RawQueueItem("x", Unix(Now) - 1), new RawQueueItem("y", Unix(Now) + 1000));

        var popped = await PopAsync("q_timed_set", pushback: TimeSpan.FromSeconds(60));
        var again = await PopAsync("q_timed_set", now: Now.AddSeconds(59));
        var listed = await Part.ListAsync("q_timed_set", 0, 10, Ct);
        var later = await PopAsync("q_timed_set", now: Now.AddSeconds(60));

        Assert.That(popped, Is.EqualTo(new[] { "x" }));
        Assert.That(again, Is.Empty);
        Assert.That(listed.Select(i => i.Member), Is.EqualTo(new[] { "x", "y" }));
        Assert.That(listed[0].Score, Is.EqualTo(Unix(Now) + 60).Within(0.001));
        Assert.That(later, Is.EqualTo(new[] { "x" }));
        Assert.That(await Part.SizeAsync("q_timed_set", Ct), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAsync_EachType_PopOrderWithoutRemoving()
    {
        await PushAsync("l_raw", Items("a", "b", "a", "c"));
        await PushAsync("l_sorted_set", new RawQueueItem("z", 1), new RawQueueItem("y", 0), new RawQueueItem("x", 5));

        var raw = await Part.ListAsync("l_raw", 1, 2, Ct);
        var sorted = await Part.ListAsync("l_sorted_set", 0, 10, Ct);

        Assert.That(raw.Select(i => i.Member), Is.EqualTo(new[] { "b", "a" }));
        Assert.That(sorted.Select(i => i.Member), Is.EqualTo(new[] { "y", "z", "x" }));
        Assert.That(sorted.Select(i => i.Score), Is.EqualTo(new double?[] { 0, 1, 5 }));
        Assert.That(await Part.SizeAsync("l_raw", Ct), Is.EqualTo(4));
        Assert.That(await Part.SizeAsync("l_sorted_set", Ct), Is.EqualTo(3));
    }

    [Test]
    public async Task RemoveAsync_RawList_RemovesEveryCopy()
    {
        await PushAsync("r_raw", Items("a", "b", "c", "b"));

        var removed = await Part.RemoveAsync("r_raw", ["b", "missing"], Ct);

        Assert.That(removed, Is.EqualTo(2));
        Assert.That(await PopAsync("r_raw"), Is.EqualTo(new[] { "a", "c" }));
    }

    [Test]
    public async Task RemoveAsync_Sets_RemovesMembers()
    {
        await PushAsync("r_set", Items("a", "b", "c"));
        await PushAsync("r_timed_set", new RawQueueItem("a", 1), new RawQueueItem("b", 2));

        var fromSet = await Part.RemoveAsync("r_set", ["a", "c"], Ct);
        var fromTimed = await Part.RemoveAsync("r_timed_set", ["b"], Ct);

        Assert.That(fromSet, Is.EqualTo(2));
        Assert.That(fromTimed, Is.EqualTo(1));
        Assert.That(await PopAsync("r_set"), Is.EqualTo(new[] { "b" }));
        Assert.That(await PopAsync("r_timed_set"), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public async Task SizeAndPop_MissingQueue_ZeroAndEmpty()
    {
        Assert.That(await Part.SizeAsync("none_raw", Ct), Is.Zero);
        Assert.That(await PopAsync("none_raw"), Is.Empty);
        Assert.That(await PopAsync("none_timed_set"), Is.Empty);
        Assert.That(await Part.ListAsync("none_set", 0, 10, Ct), Is.Empty);
    }

    [Test]
    public async Task PushAsync_Queues_AreIndependent()
    {
        await PushAsync("one_raw", Items("1"));
        await PushAsync("two_raw", Items("2"));
        await PushAsync("one_raw/sub", Items("3"));

        Assert.That(await PopAsync("one_raw"), Is.EqualTo(new[] { "1" }));
        Assert.That(await PopAsync("two_raw"), Is.EqualTo(new[] { "2" }));
        Assert.That(await PopAsync("one_raw/sub"), Is.EqualTo(new[] { "3" }));
    }

    [Test]
    public async Task PushAsync_Subqueue_RecordedAsKnownUntilForgottenEmpty()
    {
        await PushAsync("root_raw/sub1", Items("a"));
        await PushAsync("root_raw/sub2", Items("b"));
        await PushAsync("root_raw", Items("c"));
        await PushAsync("other_raw/sub9", Items("d"));

        var known = await Part.KnownSubqueuesAsync("root_raw", Ct);
        await PopAsync("root_raw/sub1");
        var forgotten = await Part.ForgetSubqueueAsync("root_raw", "root_raw/sub1", Ct);
        var afterForget = await Part.KnownSubqueuesAsync("root_raw", Ct);

        Assert.That(known, Is.EquivalentTo(new[] { "root_raw/sub1", "root_raw/sub2" }));
        Assert.That(forgotten, Is.True);
        Assert.That(afterForget, Is.EquivalentTo(new[] { "root_raw/sub2" }));
        Assert.That(await Part.KnownSubqueuesAsync("none_raw", Ct), Is.Empty);
    }

    [Test]
    public async Task KnownSubqueuesAsync_RootGivenWithTrailingSlash_SameAsRoot()
    {
        await PushAsync("k_raw/a/b", Items("x"));
        await PushAsync("k_raw/c", Items("y"));
        await PopAsync("k_raw/c");

        var withSlash = await Part.KnownSubqueuesAsync("k_raw/", Ct);
        var forgotten = await Part.ForgetSubqueueAsync("k_raw/", "k_raw/c", Ct);

        Assert.That(withSlash, Is.EquivalentTo(new[] { "k_raw/a/b", "k_raw/c" }));
        Assert.That(forgotten, Is.True);
        Assert.That(await Part.KnownSubqueuesAsync("k_raw", Ct), Is.EqualTo(new[] { "k_raw/a/b" }));
    }

    [TestCase("root_raw/sub")]
    [TestCase("root_set/sub")]
    [TestCase("root_sorted_set/sub")]
    [TestCase("root_timed_set/sub")]
    public async Task ForgetSubqueueAsync_SubqueueWithMembers_KeptKnown(string subqueue)
    {
        var root = QueueNames.Root(subqueue);
        await PushAsync(subqueue, new RawQueueItem("a", 1));

        var forgotten = await Part.ForgetSubqueueAsync(root, subqueue, Ct);

        Assert.That(forgotten, Is.False);
        Assert.That(await Part.KnownSubqueuesAsync(root, Ct), Is.EqualTo(new[] { subqueue }));
    }

    [Test]
    public async Task ForgetSubqueueAsync_TimedSetWithOnlyFutureMembers_KeptKnown()
    {
        await PushAsync("t_timed_set/sub", new RawQueueItem("later", Unix(Now.AddHours(1))));
        Assert.That(await PopAsync("t_timed_set/sub"), Is.Empty, "nothing is due yet");

        var forgotten = await Part.ForgetSubqueueAsync("t_timed_set", "t_timed_set/sub", Ct);

        Assert.That(forgotten, Is.False);
        Assert.That(await Part.KnownSubqueuesAsync("t_timed_set", Ct), Is.EqualTo(new[] { "t_timed_set/sub" }));
    }

    [Test]
    public async Task ForgetSubqueueAsync_PushAfterForget_KnownAgain()
    {
        await PushAsync("again_raw/sub", Items("a"));
        await PopAsync("again_raw/sub");
        Assert.That(await Part.ForgetSubqueueAsync("again_raw", "again_raw/sub", Ct), Is.True);

        await PushAsync("again_raw/sub", Items("b"));

        Assert.That(await Part.KnownSubqueuesAsync("again_raw", Ct), Is.EqualTo(new[] { "again_raw/sub" }));
        Assert.That(await Part.ForgetSubqueueAsync("again_raw", "again_raw/unknown", Ct), Is.False);
    }

    [Test]
    public async Task ForgetSubqueueAsync_RacingPushes_NeverLeavesANonEmptySubqueueUnknown()
    {
        var subqueues = Enumerable.Range(0, 40).Select(i => $"race_raw/s{i}").ToArray();

        // Whichever runs first, the subqueue ends with a member, so it must end known.
        await Task.WhenAll(subqueues.SelectMany(subqueue => new[]
        {
            Task.Run(() => PushAsync(subqueue, Items("x"))),
            Task.Run(async () => await Part.ForgetSubqueueAsync("race_raw", subqueue, Ct)),
        }));

        Assert.That(await Part.KnownSubqueuesAsync("race_raw", Ct), Is.EquivalentTo(subqueues));
    }

    [Test]
    public void PushAsync_RegularQueueName_ThrowsArgumentException()
    {
        Assert.ThrowsAsync<ArgumentException>(async () => await Part.PushAsync("default", Items("x"), Now, Ct));
    }
}
