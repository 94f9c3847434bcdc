using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryRawQueueStoreTests : RawQueueStoreContract
{
    protected override ValueTask<IRawQueueStore> CreateAsync() => ValueTask.FromResult(InMemoryStorage.AddTo(new MrqStorageParts()).RawQueues!);
}
