using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using Mrq.Tests.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbWorkerFaultTests : WorkerFaultTestBase
{
    private string _folder = "";

    [SetUp]
    public void NewFolder() => _folder = LiteDbTestStorage.NewFolder();

    protected override void UseStorage(IMrqBuilder builder) => builder.UseLiteDb(Path.Combine(_folder, $"jobs-{Guid.NewGuid():N}.db"));

    protected override ValueTask CleanupStorageAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
