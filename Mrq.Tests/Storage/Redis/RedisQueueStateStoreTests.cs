using Mrq.Storage;
using Mrq.Storage.Redis;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

[TestFixture]
[Category("redis")]
public sealed class RedisQueueStateStoreTests : QueueStateStoreContract
{
    private RedisTestServer? _server;

    protected override async ValueTask<IQueueStateStore> CreateAsync()
    {
        _server = await RedisTestServer.CreateAsync();
        return new RedisQueueStateStore(_server.Connection, _server.Keys);
    }

    protected override async ValueTask DisposePartAsync(IQueueStateStore part)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
