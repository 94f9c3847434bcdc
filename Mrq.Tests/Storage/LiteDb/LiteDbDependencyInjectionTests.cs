using Microsoft.Extensions.DependencyInjection;
using Mrq.Storage;
using Mrq.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbDependencyInjectionTests : LiteDbFolderFixture
{
    [Test]
    public async Task UseLiteDb_Path_StorageOnThatFile()
    {
        var path = Path.Combine(Folder, "di.db");
        var services = new ServiceCollection();
        services.AddMrq(mrq => mrq.UseLiteDb(path));
        await using var provider = services.BuildServiceProvider();

        var storage = provider.GetRequiredService<MrqStorage>();
        await storage.InitializeAsync();

        Assert.That(storage.Capabilities, Is.EqualTo(LiteDbStorage.Capabilities));
        Assert.That(storage.Capabilities.Durable, Is.True);
        Assert.That(storage.Capabilities.SharedAcrossProcesses, Is.False);
        Assert.That(storage.SizeCounter, Is.Null);
        Assert.That(File.Exists(path), Is.True);
    }

    [Test]
    public void Options_ByDefault_FlushEveryGroupCommitToDisk()
    {
        Assert.That(new LiteDbStorageOptions().FlushToDisk, Is.True, "acknowledged jobs survive a power loss unless the application opts out");
    }

    [Test]
    public async Task UseLiteDb_Options_Applied()
    {
        var path = Path.Combine(Folder, "options.db");
        var services = new ServiceCollection();
        services.AddMrq(mrq => mrq.UseLiteDb(options =>
        {
            options.Path = path;
            options.FlushToDisk = true;
        }));
        await using var provider = services.BuildServiceProvider();

        var storage = provider.GetRequiredService<MrqStorage>();
        await storage.InitializeAsync();
        await storage.QueueStates.PauseAsync("q", default);

        Assert.That(await storage.QueueStates.GetPausedAsync(default), Is.EquivalentTo(new[] { "q" }));
        Assert.That(File.Exists(path), Is.True);
    }

    [Test]
    public void UseLiteDb_EmptyPath_Throws()
    {
        var services = new ServiceCollection();

        Assert.That(() => services.AddMrq(mrq => mrq.UseLiteDb(" ")), Throws.ArgumentException);
    }
}
