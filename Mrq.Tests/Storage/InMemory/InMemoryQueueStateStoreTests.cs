using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.InMemory;

[TestFixture]
[Category("inmemory")]
public sealed class InMemoryQueueStateStoreTests : QueueStateStoreContract
{
    protected override ValueTask<IQueueStateStore> CreateAsync() => ValueTask.FromResult(InMemoryStorage.AddTo(new MrqStorageParts()).QueueStates!);
}
