using Mrq.Storage;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbQueueStateStoreContractTests : QueueStateStoreContract
{
    private LiteDbTestStorage? _storage;

    protected override async ValueTask<IQueueStateStore> CreateAsync()
    {
        _storage = await LiteDbTestStorage.CreateAsync();
        return _storage.Storage.QueueStates;
    }

    protected override async ValueTask DisposePartAsync(IQueueStateStore part)
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
