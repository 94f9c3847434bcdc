using Mrq.Storage;
using Mrq.Storage.Redis;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

[TestFixture]
[Category("redis")]
public sealed class RedisLockStoreTests : LockStoreContract
{
    private RedisTestServer? _server;

    protected override async ValueTask<ILockStore> CreateAsync()
    {
        _server = await RedisTestServer.CreateAsync();
        return new RedisLockStore(_server.Connection, _server.Keys);
    }

    protected override async ValueTask DisposePartAsync(ILockStore part)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
