using Mrq.DependencyInjection;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>The acceptance scenarios in distributed mode: jobs in MongoDB (a fresh database), the rest in Redis (a fresh prefix).</summary>
[TestFixture]
[Category("mongo")]
[Category("redis")]
[Category("distributed")]
public sealed class DistributedAcceptanceTests : AcceptanceTestBase
{
    private readonly TestBackend _backend = TestBackend.Named("distributed");

    [SetUp]
    public Task CreateServersAsync() => _backend.SetUpAsync();

    protected override void UseStorage(IMrqBuilder builder) => _backend.Use(builder);

    protected override ValueTask CleanupStorageAsync() => _backend.CleanupAsync();
}
