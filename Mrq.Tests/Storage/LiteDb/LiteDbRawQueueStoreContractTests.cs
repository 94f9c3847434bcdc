using Mrq.Storage;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbRawQueueStoreContractTests : RawQueueStoreContract
{
    private LiteDbTestStorage? _storage;

    protected override async ValueTask<IRawQueueStore> CreateAsync()
    {
        _storage = await LiteDbTestStorage.CreateAsync();
        return _storage.Storage.RawQueues;
    }

    protected override async ValueTask DisposePartAsync(IRawQueueStore part)
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
