using Mrq.Storage;
using Mrq.Storage.Redis;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

[TestFixture]
[Category("redis")]
public sealed class RedisRateLimitStoreTests : RateLimitStoreContract
{
    private RedisTestServer? _server;

    protected override async ValueTask<IRateLimitStore> CreateAsync()
    {
        _server = await RedisTestServer.CreateAsync();
        return new RedisRateLimitStore(_server.Connection);
    }

    protected override async ValueTask DisposePartAsync(IRateLimitStore part)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
