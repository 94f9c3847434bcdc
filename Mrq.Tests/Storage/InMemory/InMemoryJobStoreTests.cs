using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryJobStoreTests : JobStoreContract
{
    protected override ValueTask<IJobStore> CreateAsync() => ValueTask.FromResult(InMemoryStorage.AddTo(new MrqStorageParts()).Jobs!);
}
