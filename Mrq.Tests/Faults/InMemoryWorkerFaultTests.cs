using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryWorkerFaultTests : WorkerFaultTestBase
{
    protected override void UseStorage(IMrqBuilder builder) => builder.UseInMemoryStorage();
}
