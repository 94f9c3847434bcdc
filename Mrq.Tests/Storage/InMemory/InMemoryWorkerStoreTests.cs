using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryWorkerStoreTests : WorkerStoreContract
{
    protected override ValueTask<IWorkerStore> CreateAsync() => ValueTask.FromResult(InMemoryStorage.AddTo(new MrqStorageParts()).Workers!);
}
