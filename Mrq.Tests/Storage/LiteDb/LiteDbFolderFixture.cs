using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>A fixture whose tests each get a new temporary folder for their LiteDB files, deleted after the test.</summary>
public abstract class LiteDbFolderFixture
{
    /// <summary>The current test's folder.</summary>
    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder() => Folder = LiteDbTestStorage.NewFolder();

    [TearDown]
    public void DeleteFolder() => LiteDbTestStorage.DeleteFolder(Folder);
}
