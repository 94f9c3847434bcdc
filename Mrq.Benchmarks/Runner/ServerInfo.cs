using MongoDB.Bson;

namespace Mrq.Benchmarks.Runner;

/// <summary>The versions of the servers used; the Mongo server is labelled as the CongoDB emulator when it is one.</summary>
/// <param name="Redis">redis-server's version, or why it is unknown.</param>
/// <param name="Mongo">The Mongo server's version, or why it is unknown.</param>
/// <param name="MongoIsEmulator">True when buildInfo says CongoDB (the MongoDB-wire emulator, not MongoDB).</param>
internal sealed record ServerInfo(string Redis, string Mongo, bool MongoIsEmulator)
{
    /// <summary>How the Mongo server is named in tables.</summary>
    public string MongoLabel => MongoIsEmulator ? "CongoDB emulator (not MongoDB)" : "MongoDB " + Mongo;

    public static async Task<ServerInfo> CollectAsync(BenchEnvironment env, bool used)
    {
        if (!used)
        {
            return new ServerInfo("not used", "not used", false);
        }

        string redis;
        try
        {
            var db = await env.RedisAdminAsync().ConfigureAwait(false);
            var info = (string?)await db.ExecuteAsync("INFO", "server").ConfigureAwait(false) ?? "";
            var version = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("redis_version:", StringComparison.Ordinal));
            redis = version is null ? "unknown" : "v" + version["redis_version:".Length..];
        }
        catch (Exception ex)
        {
            redis = $"unreachable ({ex.GetType().Name})";
        }

        string mongo;
        var emulator = false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var build = await env.MongoAdmin.GetDatabase("admin")
                .RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: timeout.Token).ConfigureAwait(false);
            var git = build.TryGetValue("gitVersion", out var g) ? g.ToString() : "";
            emulator = string.Equals(git, "congodb", StringComparison.OrdinalIgnoreCase);
            mongo = (build.TryGetValue("version", out var v) ? v.ToString() : "?") + (emulator ? " (CongoDB emulator)" : "");
        }
        catch (Exception ex)
        {
            mongo = $"unreachable ({ex.GetType().Name})";
            emulator = true;
        }

        return new ServerInfo(redis, mongo, emulator);
    }
}
