using Mrq.Storage;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbJobLogStoreContractTests : JobLogStoreContract
{
    private LiteDbTestStorage? _storage;

    protected override async ValueTask<IJobLogStore> CreateAsync()
    {
        _storage = await LiteDbTestStorage.CreateAsync();
        return _storage.Storage.Logs;
    }

    protected override async ValueTask DisposePartAsync(IJobLogStore part)
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
