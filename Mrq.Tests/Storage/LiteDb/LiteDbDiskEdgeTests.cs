using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>Paths a new user gets wrong: a missing folder, a read-only mount, a file that is not LiteDB.</summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbDiskEdgeTests : LiteDbFolderFixture
{
    [Test]
    public async Task InitializeAsync_FolderDoesNotExist_ThrowsAndCreatesNothing()
    {
        var missing = Path.Combine(Folder, "typo", "jobs.db");
        await using var storage = LiteDbTestStorage.Build(missing);

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await storage.InitializeAsync());

        Assert.That(error!.Message, Does.Contain("folder '" + Path.GetDirectoryName(missing) + "' does not exist"));
        Assert.That(Directory.Exists(Path.GetDirectoryName(missing)), Is.False);
    }

    [TestCase(8)]
    [TestCase(9000)]
    public async Task InitializeAsync_NotLiteDbFile_RefusesAndLeavesNoLockFile(int length)
    {
        var path = Path.Combine(Folder, "notes.txt");
        var content = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();
        await File.WriteAllBytesAsync(path, content);
        await using var storage = LiteDbTestStorage.Build(path);

        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await storage.InitializeAsync());

        Assert.That(error!.Message, Does.Contain("not a LiteDB database"));
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(content), "the file is untouched");
        Assert.That(Directory.GetFiles(Folder), Is.EqualTo(new[] { path }), "no -lock (or -log) file is left behind");
    }

    [Test]
    public async Task InitializeAsync_ReadOnlyMount_SaysReadOnly()
    {
        var mount = Path.Combine(Folder, "ro");
        Directory.CreateDirectory(mount);
        if (!await Mounts.RunAsync("mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", mount))
        {
            Assert.Ignore("mounting a read-only tmpfs is not permitted here (needs root)");
        }

        try
        {
            await using var storage = LiteDbTestStorage.Build(Path.Combine(mount, "jobs.db"));

            var error = Assert.ThrowsAsync<MrqStorageException>(async () => await storage.InitializeAsync());

            Assert.That(error!.Message, Does.Contain("read-only file system"));
            Assert.That(error.Message, Does.Not.Contain("another process"));
        }
        finally
        {
            await Mounts.RunAsync("umount", mount);
        }
    }
}
