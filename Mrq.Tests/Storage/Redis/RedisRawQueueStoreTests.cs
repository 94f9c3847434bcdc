using Mrq.Storage;
using Mrq.Storage.Redis;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

[TestFixture]
[Category("redis")]
public sealed class RedisRawQueueStoreTests : RawQueueStoreContract
{
    private RedisTestServer? _server;

    protected override async ValueTask<IRawQueueStore> CreateAsync()
    {
        _server = await RedisTestServer.CreateAsync();
        return new RedisRawQueueStore(_server.Connection, _server.Keys);
    }

    protected override async ValueTask DisposePartAsync(IRawQueueStore part)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
