using Mrq.Storage;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbLockStoreContractTests : LockStoreContract
{
    private LiteDbTestStorage? _storage;

    protected override async ValueTask<ILockStore> CreateAsync()
    {
        _storage = await LiteDbTestStorage.CreateAsync();
        return _storage.Storage.Locks;
    }

    protected override async ValueTask DisposePartAsync(ILockStore part)
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
