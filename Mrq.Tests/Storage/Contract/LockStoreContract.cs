using System.Diagnostics;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The contract of <see cref="ILockStore"/>. No timing assertions: expiry is awaited with a generous deadline.</summary>
public abstract class LockStoreContract : StorageContract<ILockStore>
{
    private static readonly TimeSpan s_long = TimeSpan.FromMinutes(5);

    [Test]
    public async Task TryAcquireAsync_Free_Acquired()
    {
        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t1", s_long, Ct), Is.True);
    }

    [Test]
    public async Task TryAcquireAsync_Held_FailsForOtherToken()
    {
        await Part.TryAcquireAsync("c:tests.A", "t1", s_long, Ct);

        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t2", s_long, Ct), Is.False);
        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t1", s_long, Ct), Is.False, "not re-entrant");
        Assert.That(await Part.TryAcquireAsync("c:tests.B", "t2", s_long, Ct), Is.True, "other key");
    }

    [Test]
    public async Task ExtendAsync_Holder_KeepsLockPastItsFirstTtl()
    {
        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t1", TimeSpan.FromSeconds(3), Ct), Is.True);
        Assert.That(await Part.ExtendAsync("c:tests.A", "t1", s_long, Ct), Is.True);

        // Well past the first time to live the lock is still held: only the holder can release it.
        await WaitPastAsync(TimeSpan.FromSeconds(4));
        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t2", s_long, Ct), Is.False, "extended lock taken by another token");
        Assert.That(await Part.ReleaseAsync("c:tests.A", "t1", Ct), Is.True);
    }

    [Test]
    public async Task ExtendAsync_OtherTokenOrFree_ReturnsFalseAndChangesNothing()
    {
        Assert.That(await Part.ExtendAsync("c:none", "t1", s_long, Ct), Is.False, "never held");
        await Part.TryAcquireAsync("c:tests.A", "t1", s_long, Ct);

        Assert.That(await Part.ExtendAsync("c:tests.A", "t2", s_long, Ct), Is.False, "held by another token");
        Assert.That(await Part.ReleaseAsync("c:tests.A", "t1", Ct), Is.True, "the holder still holds it");
        Assert.That(await Part.ExtendAsync("c:tests.A", "t1", s_long, Ct), Is.False, "released");
    }

    [Test]
    public async Task ReleaseAsync_OtherToken_KeepsLock()
    {
        await Part.TryAcquireAsync("c:tests.A", "t1", s_long, Ct);

        var released = await Part.ReleaseAsync("c:tests.A", "t2", Ct);

        Assert.That(released, Is.False);
        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t2", s_long, Ct), Is.False);
    }

    [Test]
    public async Task ReleaseAsync_Holder_FreesLock()
    {
        await Part.TryAcquireAsync("c:tests.A", "t1", s_long, Ct);

        var released = await Part.ReleaseAsync("c:tests.A", "t1", Ct);
        var releasedAgain = await Part.ReleaseAsync("c:tests.A", "t1", Ct);

        Assert.That(released, Is.True);
        Assert.That(releasedAgain, Is.False);
        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t2", s_long, Ct), Is.True);
    }

    [Test]
    public async Task ReleaseAsync_NeverHeld_ReturnsFalse()
    {
        Assert.That(await Part.ReleaseAsync("c:none", "t1", Ct), Is.False);
    }

    [Test]
    public async Task TryAcquireAsync_AfterTtl_AcquirableByOther()
    {
        Assert.That(await Part.TryAcquireAsync("c:tests.A", "t1", TimeSpan.FromMilliseconds(200), Ct), Is.True);

        var deadline = Stopwatch.StartNew();
        var acquired = false;
        while (!acquired && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            acquired = await Part.TryAcquireAsync("c:tests.A", "t2", s_long, Ct);
            if (!acquired)
            {
                await Task.Delay(50, Ct);
            }
        }

        Assert.That(acquired, Is.True, "the expired lock was never acquirable");
        Assert.That(await Part.ReleaseAsync("c:tests.A", "t1", Ct), Is.False, "the expired holder no longer holds it");
        Assert.That(await Part.ReleaseAsync("c:tests.A", "t2", Ct), Is.True);
    }

    /// <summary>Lets <paramref name="span"/> pass on the store's (real) clock.</summary>
    private Task WaitPastAsync(TimeSpan span) => Task.Delay(span, Ct);
}
