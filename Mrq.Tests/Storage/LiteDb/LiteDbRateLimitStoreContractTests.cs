using Mrq.Storage;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

[TestFixture]
[Category("litedb")]
public sealed class LiteDbRateLimitStoreContractTests : RateLimitStoreContract
{
    private LiteDbTestStorage? _storage;

    protected override async ValueTask<IRateLimitStore> CreateAsync()
    {
        _storage = await LiteDbTestStorage.CreateAsync();
        return _storage.Storage.RateLimits;
    }

    protected override async ValueTask DisposePartAsync(IRateLimitStore part)
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            _storage = null;
        }
    }
}
