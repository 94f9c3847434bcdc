using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Tests.Process;
using Mrq.Tests.Storage.Mongo;
using Mrq.Tests.Storage.Redis;
using Mrq.Tests.Support;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Distributed;

/// <summary>
/// One distributed-mode setup for a test: a MongoDB database (a fresh one on the shared test server, or one on a
/// private server) and a Redis key prefix (a fresh one on the shared test server, or on a private server), a temporary
/// directory where the worker tasks record their executions, an in-process client on the same storage, and
/// <c>mrq worker</c> child processes started with the worker tasks assembly. Disposal kills the processes still
/// running, then drops the database and the prefix's keys.
/// </summary>
internal sealed class DistributedCluster : IAsyncDisposable
{
    private readonly List<MrqCliProcess> _processes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private MongoClient? _rawClient;

    private DistributedCluster(string directory)
    {
        Directory = directory;
    }

    /// <summary>The <c>--tasks</c> assembly of the worker processes.</summary>
    public static string TasksDll => typeof(DistributedTestQueues).Assembly.Location;

    /// <summary>The MongoDB URL, with the database as its path.</summary>
    public string MongoUrl { get; private set; } = string.Empty;

    /// <summary>The Redis URL.</summary>
    public string RedisUrl { get; private set; } = string.Empty;

    /// <summary>The <c>redis_prefix</c>, random per test.</summary>
    public string Prefix { get; private set; } = string.Empty;

    /// <summary>A regular queue of this test only (its unprefixed <c>queuesize:</c> key starts with the prefix).</summary>
    public string Queue => Prefix + "_q";

    /// <summary>The temporary directory: the processes' current directory and where executions are recorded.</summary>
    public string Directory { get; }

    /// <summary>An in-process Mrq on the same storage, for queueing and reading jobs through our API.</summary>
    public MrqTestHost Host { get; private set; } = null!;

    /// <summary><c>mrq_jobs</c>, read and written directly with the driver, the way another MRQ process would.</summary>
    public IMongoCollection<BsonDocument> RawJobs { get; private set; } = null!;

    /// <summary><c>mrq_workers</c>, read directly.</summary>
    public IMongoCollection<BsonDocument> RawWorkers { get; private set; } = null!;

    /// <summary>The shared test Redis when used (null with a private Redis server).</summary>
    public RedisTestServer? SharedRedis { get; private set; }

    /// <summary>
    /// Creates the setup. Without URLs it uses a fresh database on the MongoDB test server and a fresh prefix on the
    /// Redis test server (the test is ignored when they are missing, failed in CI).
    /// </summary>
    /// <param name="mongoServerUrl">A private MongoDB server (a fresh database is named on it).</param>
    /// <param name="redisUrl">A private Redis server.</param>
    public static async Task<DistributedCluster> CreateAsync(string? mongoServerUrl = null, string? redisUrl = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("mrq-distributed-").FullName;
        var cluster = new DistributedCluster(directory);
        try
        {
            await cluster.ConnectAsync(mongoServerUrl, redisUrl);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync(string? mongoServerUrl, string? redisUrl)
    {
        if (mongoServerUrl is null)
        {
            var database = await MongoTestDatabase.CreateAsync();
            _owned.Add(database);
            MongoUrl = database.Url;
        }
        else
        {
            MongoUrl = new MongoUrlBuilder(mongoServerUrl) { DatabaseName = "mrqtest_" + Guid.NewGuid().ToString("N")[..16] }.ToString();
        }

        if (redisUrl is null)
        {
            SharedRedis = await RedisTestServer.CreateAsync();
            _owned.Add(SharedRedis);
            RedisUrl = SharedRedis.Options.Url;
            Prefix = SharedRedis.Prefix;
        }
        else
        {
            RedisUrl = redisUrl;
            Prefix = "mrqtest-" + Guid.NewGuid().ToString("N")[..12];
        }

        var mongoUrl = new MongoUrl(MongoUrl);
        _rawClient = new MongoClient(mongoUrl);
        RawJobs = _rawClient.GetDatabase(mongoUrl.DatabaseName).GetCollection<BsonDocument>("mrq_jobs");
        RawWorkers = _rawClient.GetDatabase(mongoUrl.DatabaseName).GetCollection<BsonDocument>("mrq_workers");
        Host = await MrqTestHost.StartAsync(b =>
        {
            b.UseMongo(MongoUrl);
            b.UseRedis(o =>
            {
                o.Url = RedisUrl;
                o.Prefix = Prefix;
            });
        });
    }

    /// <summary>
    /// Starts <c>mrq worker</c> on this setup's storage with the worker tasks, polling idle queues every 0.2 s;
    /// <paramref name="args"/> adds flags and the queues.
    /// </summary>
    public MrqCliProcess StartWorker(params string[] args) => StartWorker(null, args);

    /// <summary>Starts <c>mrq worker</c> (see <see cref="StartWorker(string[])"/>) with <c>MRQ_*</c> environment variables.</summary>
    public MrqCliProcess StartWorker(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string[] all =
        [
            "worker", "--mongodb-jobs", MongoUrl, "--redis", RedisUrl, "--redis-prefix", Prefix,
            "--tasks", TasksDll, "--max-latency", "0.2", .. args,
        ];
        var process = MrqCliProcess.Start(Directory, environment, all);
        _processes.Add(process);
        return process;
    }

    /// <summary>Waits until a worker process logged that it started (its storage is open and it claims jobs).</summary>
    public static Task WaitUntilStartedAsync(MrqCliProcess worker) => worker.WaitForStderrAsync(" started: queues ");

    /// <summary>Params of <see cref="RecordTask"/> writing to this setup's directory.</summary>
    public JsonObject RecordParams(string tag = "-", int sleepMs = 0)
    {
        var parameters = new JsonObject { ["dir"] = Directory, ["tag"] = tag };
        if (sleepMs > 0)
        {
            parameters["sleep_ms"] = sleepMs;
        }

        return parameters;
    }

    /// <summary>Params of <see cref="BlockTask"/>: it runs until <paramref name="release"/> (a file name in the directory) exists.</summary>
    public JsonObject BlockParams(string release, string tag = "-") =>
        new() { ["dir"] = Directory, ["release"] = Path.Combine(Directory, release), ["tag"] = tag };

    /// <summary>Creates the release file of <see cref="BlockParams"/>.</summary>
    public void Release(string release) => File.WriteAllText(Path.Combine(Directory, release), "go");

    /// <summary>The executions recorded so far.</summary>
    public IReadOnlyList<Execution> Executions() => ExecutionRecords.Read(Directory);

    /// <summary>Waits until the executions recorded satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<Execution>> WaitForExecutionsAsync(Func<IReadOnlyList<Execution>, bool> condition, string what)
    {
        IReadOnlyList<Execution> executions = [];
        await WaitAsync(() =>
        {
            executions = Executions();
            return Task.FromResult(condition(executions));
        }, what);
        return executions;
    }

    /// <summary>
    /// Waits on a condition; on timeout fails with the workers' output, so a crash or an error logged by a worker shows.
    /// </summary>
    public async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            await Wait.UntilAsync(condition, what, timeout);
        }
        catch (TimeoutException ex)
        {
            Assert.Fail($"{ex.Message}\n{DescribeWorkers()}");
        }
    }

    /// <summary>Counts the jobs of <paramref name="queue"/> with <paramref name="status"/>, reading <c>mrq_jobs</c> directly.</summary>
    public Task<long> CountRawAsync(string queue, JobStatus status) =>
        RawJobs.CountDocumentsAsync(new BsonDocument { { "queue", queue }, { "status", status.ToMrqName() } });

    /// <summary>Waits until <paramref name="count"/> jobs of <paramref name="queue"/> are <c>success</c>.</summary>
    public Task WaitForSuccessCountAsync(string queue, long count) =>
        WaitAsync(async () => await CountRawAsync(queue, JobStatus.Success) >= count, $"{count} jobs of {queue} are success");

    /// <summary>The output of every worker process started, for failure messages.</summary>
    public string DescribeWorkers() => string.Join("\n", _processes.Select(p => $"=== mrq pid {p.Id} ===\n{Tail(p.Stderr)}"));

    /// <summary>The warning and error lines a process logged (shortened), for test output.</summary>
    public static string Warnings(MrqCliProcess process) =>
        string.Join("\n", process.Stderr.Split('\n')
            .Where(l => l.Contains(" warn: ", StringComparison.Ordinal) || l.Contains(" fail: ", StringComparison.Ordinal))
            .Select(l => l.Length > 300 ? l[..300] + "…" : l));

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        _rawClient?.Dispose();

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed process may still hold a file for a moment; the temporary folder is cleaned by the OS.
        }
    }
}
