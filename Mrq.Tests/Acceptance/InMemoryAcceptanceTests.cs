using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryAcceptanceTests : AcceptanceTestBase
{
    protected override void UseStorage(IMrqBuilder builder) => builder.UseInMemoryStorage();
}
