using MongoDB.Driver;
using Mrq.Context;
using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using StackExchange.Redis;

namespace Mrq.MrqSuiteTasks;

/// <summary>
/// MRQ's <c>connections.mongodb_jobs</c>, <c>connections.mongodb_logs</c> and <c>connections.redis</c> for the
/// ported tasks: the URLs of <c>MRQ_MONGODB_JOBS</c> / <c>MRQ_REDIS</c>, else MRQ's defaults (the suite passes none).
/// </summary>
public static class SuiteConnections
{
    /// <summary>MRQ's default jobs database URL.</summary>
    public const string DefaultMongo = "mongodb://127.0.0.1:27017/mrq";

    /// <summary>MRQ's default Redis URL (host:port form for StackExchange.Redis).</summary>
    public const string DefaultRedis = "127.0.0.1:6379";

    /// <summary>Called by <c>mrq</c> for a task assembly: registers the connections.</summary>
    public static void ConfigureMrq(IMrqBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddConnection("mongodb_jobs", _ => Database());
        builder.AddConnection("mongodb_logs", _ => Database());
        builder.AddConnection("redis", _ => ConnectionMultiplexer.Connect(RedisConfiguration()));
    }

    /// <summary>The jobs database.</summary>
    public static IMongoDatabase Mongo(JobContext context) => context.Connections.Get<IMongoDatabase>("mongodb_jobs");

    private static IMongoDatabase Database()
    {
        var url = new MongoUrl(Environment.GetEnvironmentVariable("MRQ_MONGODB_JOBS") ?? DefaultMongo);
        return new MongoClient(url).GetDatabase(url.DatabaseName ?? "mrq");
    }

    private static string RedisConfiguration()
    {
        var url = Environment.GetEnvironmentVariable("MRQ_REDIS");
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return DefaultRedis;
        }

        return $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}";
    }
}
