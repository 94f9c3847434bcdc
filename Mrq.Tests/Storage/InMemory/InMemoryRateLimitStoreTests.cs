using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryRateLimitStoreTests : RateLimitStoreContract
{
    protected override ValueTask<IRateLimitStore> CreateAsync() => ValueTask.FromResult(InMemoryStorage.AddTo(new MrqStorageParts()).RateLimits!);
}
