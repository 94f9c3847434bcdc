using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>The contract of <see cref="IQueueStateStore"/> (the paused set).</summary>
public abstract class QueueStateStoreContract : StorageContract<IQueueStateStore>
{
    [Test]
    public async Task GetPausedAsync_Fresh_Empty()
    {
        Assert.That(await Part.GetPausedAsync(Ct), Is.Empty);
    }

    [Test]
    public async Task PauseAsync_Twice_ListedOnce()
    {
        await Part.PauseAsync("q1", Ct);
        await Part.PauseAsync("q1", Ct);
        await Part.PauseAsync("q2/sub", Ct);

        Assert.That(await Part.GetPausedAsync(Ct), Is.EquivalentTo(new[] { "q1", "q2/sub" }));
    }

    [Test]
    public async Task ResumeAsync_Paused_Removed()
    {
        await Part.PauseAsync("q1", Ct);
        await Part.PauseAsync("q2", Ct);

        await Part.ResumeAsync("q1", Ct);
        await Part.ResumeAsync("q1", Ct);
        await Part.ResumeAsync("never", Ct);

        Assert.That(await Part.GetPausedAsync(Ct), Is.EquivalentTo(new[] { "q2" }));
    }
}
