using Mrq.Storage;
using Mrq.Storage.Redis;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

[TestFixture]
[Category("redis")]
public sealed class RedisQueueSizeCounterTests : QueueSizeCounterContract
{
    private RedisTestServer? _server;

    protected override async ValueTask<IQueueSizeCounter> CreateAsync()
    {
        // The contract names its queues itself (unprefixed keys): let them expire soon instead of in a day.
        _server = await RedisTestServer.CreateAsync(o => o.QueueTtl = TimeSpan.FromMinutes(5));
        return new RedisQueueSizeCounter(_server.Connection, _server.Options.QueueTtl);
    }

    protected override async ValueTask DisposePartAsync(IQueueSizeCounter part)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
