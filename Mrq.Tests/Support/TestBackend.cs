using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using Mrq.Tests.Storage.LiteDb;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;

namespace Mrq.Tests.Support;

/// <summary>
/// A storage backend for a test fixture that runs on every backend (<c>[TestFixture("litedb")]</c>…): a fresh,
/// empty storage per test, removed afterwards.
/// </summary>
internal abstract class TestBackend
{
    /// <summary>The backend named by a fixture argument: <c>inmemory</c>, <c>litedb</c> or <c>distributed</c>.</summary>
    public static TestBackend Named(string name) => name switch
    {
        "inmemory" => new InMemoryBackend(),
        "litedb" => new LiteDbBackend(),
        "distributed" => new DistributedBackend(),
        _ => throw new ArgumentException($"Unknown test backend '{name}'.", nameof(name)),
    };

    /// <summary>True for MongoDB + Redis.</summary>
    public virtual bool IsDistributed => false;

    /// <summary>Prepares a fresh storage (before each test).</summary>
    public virtual Task SetUpAsync() => Task.CompletedTask;

    /// <summary>Configures the backend on a host.</summary>
    public abstract void Use(IMrqBuilder builder);

    /// <summary>Removes what the test left behind.</summary>
    public virtual ValueTask CleanupAsync() => ValueTask.CompletedTask;

    private sealed class InMemoryBackend : TestBackend
    {
        public override void Use(IMrqBuilder builder) => builder.UseInMemoryStorage();
    }

    private sealed class LiteDbBackend : TestBackend
    {
        private string _folder = "";

        public override Task SetUpAsync()
        {
            _folder = LiteDbTestStorage.NewFolder();
            return Task.CompletedTask;
        }

        public override void Use(IMrqBuilder builder) => builder.UseLiteDb(Path.Combine(_folder, $"jobs-{Guid.NewGuid():N}.db"));

        public override ValueTask CleanupAsync()
        {
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Jobs in MongoDB (a fresh database), the rest in Redis (a fresh prefix).</summary>
    internal sealed class DistributedBackend : TestBackend
    {
        private MongoTestDatabase? _mongo;
        private RedisTestServer? _redis;

        public override bool IsDistributed => true;

        public MongoTestDatabase Mongo => _mongo ?? throw new InvalidOperationException("Not set up.");

        public override async Task SetUpAsync()
        {
            _mongo = await MongoTestDatabase.CreateAsync();
            _redis = await RedisTestServer.CreateAsync();
            await DeleteQueueSizeCountersAsync();
        }

        /// <summary>MRQ's queuesize counters have no prefix, so each test starts from none (tests run one at a time).</summary>
        private async Task DeleteQueueSizeCountersAsync()
        {
            var server = _redis!.RawConnection.GetServers()[0];
            await foreach (var key in server.KeysAsync(_redis.Raw.Database, "queuesize:*"))
            {
                await _redis.Raw.KeyDeleteAsync(key);
            }
        }

        public override void Use(IMrqBuilder builder)
        {
            builder.UseMongo(_mongo!.Url);
            builder.UseRedis(o =>
            {
                o.Url = _redis!.Options.Url;
                o.Prefix = _redis.Options.Prefix;
            });
        }

        public override async ValueTask CleanupAsync()
        {
            if (_redis is not null)
            {
                await DeleteQueueSizeCountersAsync();
                await _redis.DisposeAsync();
            }

            if (_mongo is not null)
            {
                await _mongo.DisposeAsync();
            }
        }
    }
}
