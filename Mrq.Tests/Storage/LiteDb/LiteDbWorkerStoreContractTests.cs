using Mrq.Storage;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbWorkerStoreContractTests : WorkerStoreContract
{
    private LiteDbTestStorage? _storage;

    protected override async ValueTask<IWorkerStore> CreateAsync()
    {
        _storage = await LiteDbTestStorage.CreateAsync();
        return _storage.Storage.Workers;
    }

    protected override async ValueTask DisposePartAsync(IWorkerStore part)
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
