using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.Benchmarks.Runner;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Workers;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// One Mrq engine on a fresh storage, as an application would build it (<c>AddMrq(b => b.Use…())</c>), with the
/// benchmark tasks registered: <c>bench.noop</c> (returns null), <c>bench.io</c> (awaits <c>Task.Delay(10)</c>) and
/// <c>bench.probe</c> (records its enqueue→start latency), <c>bench.track</c> (an open-loop job: records scheduled→start). Options are MRQ's defaults except greenlets, max_jobs and
/// the queue. Disposing it removes everything the run created (file, Redis keys, Mongo database).
/// </summary>
internal sealed partial class BenchHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Func<Task> _cleanup;

    private BenchHost(ServiceProvider services, string backend, string queue, bool raw, RunProbe probe, OpenLoopProbe openLoop, Func<Task> cleanup)
    {
        OpenLoop = openLoop;
        _services = services;
        Backend = backend;
        Queue = queue;
        Raw = raw;
        Probe = probe;
        _cleanup = cleanup;
    }

    public string Backend { get; }

    /// <summary>The queue the worker listens to (a <c>_raw</c> queue for the Redis backends).</summary>
    public string Queue { get; }

    public bool Raw { get; }

    public RunProbe Probe { get; }

    /// <summary>What this host's names (queue, database, key prefix) are made from.</summary>
    public string Tag { get; private init; } = "";

    /// <summary>The LiteDB file of a <c>litedb</c> host, else null.</summary>
    public string? LiteDbPath { get; private init; }

    /// <summary>The latencies of <c>bench.track</c> jobs (open-loop runs).</summary>
    public OpenLoopProbe OpenLoop { get; }

    public IJobClient Client => _services.GetRequiredService<IJobClient>();

    public MrqStorage Storage => _services.GetRequiredService<MrqStorage>();

    /// <summary>
    /// Builds and initializes a host. Backends: <c>litedb</c> (a new file), <c>inmemory</c>, <c>mongo</c> (regular queue
    /// in a new Mongo database, Redis for the rest), <c>redis</c> (a <c>_raw</c> queue, Mongo + Redis, statuses_no_storage
    /// [started, success]: the Redis-only path) and <c>redis-stored</c> (the same raw queue with every status stored in Mongo).
    /// The workers' prefetch is <paramref name="prefetch"/> when given, else the runner's <c>--prefetch</c>;
    /// <paramref name="flushToDisk"/> turns LiteDB's fsync per group commit on.
    /// </summary>
    /// <param name="env">The run's environment.</param>
    /// <param name="backend">The backend.</param>
    /// <param name="greenlets">The worker's greenlets.</param>
    /// <param name="maxJobs">The worker's max_jobs (0: no limit).</param>
    /// <param name="timer">Times every job-store call when given.</param>
    /// <param name="prefetch">The worker's prefetch; null keeps the runner's.</param>
    /// <param name="flushToDisk">Turns LiteDB's fsync per group commit on (litedb only).</param>
    /// <param name="liteDbPath">An existing LiteDB file to open instead of a new one (deleted with the host).</param>
    /// <param name="sharedTag">The names of another process's host (its <see cref="Tag"/>): this host works on the same
    /// queue, database and keys, and leaves removing them to that host.</param>
    public static async Task<BenchHost> StartAsync(BenchEnvironment env, string backend, int greenlets, int maxJobs, JobStoreTimer? timer, int? prefetch = null, bool flushToDisk = false, string? liteDbPath = null, string? sharedTag = null)
    {
        var run = env.NextRun();
        var tag = sharedTag ?? string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}x{run}");
        var probe = new RunProbe();
        var openLoop = new OpenLoopProbe();
        var services = new ServiceCollection();
        services.AddSingleton(probe);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        var queue = "bench";
        var raw = false;
        Func<Task> cleanup = () => Task.CompletedTask;
        string? litePath = null;
        var builder = services.AddMrq(b =>
        {
            switch (backend)
            {
                case "litedb":
                    var path = liteDbPath ?? env.TempFile($"mrq-{tag}.db");
                    b.UseLiteDb(o =>
                    {
                        o.Path = path;
                        o.FlushToDisk = flushToDisk;
                    });
                    litePath = path;
                    cleanup = () =>
                    {
                        BenchEnvironment.DeleteWithSideFiles(path);
                        return Task.CompletedTask;
                    };
                    break;
                case "inmemory":
                    b.UseInMemoryStorage();
                    break;
                case "mongo" or "redis" or "redis-stored" or "redis-aof":
                    var database = $"mrqbench_{tag}";
                    var prefix = $"mrqbench{tag}";
                    var regular = $"bench{tag}";
                    b.UseMongo($"{env.Options.MongoUrl}/{database}");
                    b.UseRedis(o =>
                    {
                        o.Url = backend == "redis-aof" ? env.Options.RedisAofUrl! : env.Options.RedisUrl;
                        o.Prefix = prefix;
                    });
                    queue = regular;
                    if (backend != "mongo")
                    {
                        raw = true;
                        queue = regular + "_raw";
                        b.AddRawQueue(queue, RawJobFactory, o =>
                        {
                            o.RetryQueue = regular;
                            if (backend is "redis" or "redis-aof")
                            {
                                o.StatusesNoStorage = [JobStatus.Started, JobStatus.Success];
                            }
                        });
                    }

                    cleanup = async () =>
                    {
                        await env.DropMongoDatabaseAsync(database).ConfigureAwait(false);
                        await env.DeleteRedisKeysAsync(prefix + ":*").ConfigureAwait(false);
                        await env.DeleteRedisKeysAsync("queuesize:" + regular + "*").ConfigureAwait(false);
                    };
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(backend), backend, "Unknown backend.");
            }

            b.AddTask("bench.noop", (_, _) =>
            {
                probe.JobRan();
                return ValueTask.FromResult<JsonNode?>(null);
            });
            b.AddTask("bench.io", async (_, context) =>
            {
                await Task.Delay(10, context.CancellationToken).ConfigureAwait(false);
                probe.JobRan();
                return null;
            });
            b.AddTask("bench.probe", (parameters, _) =>
            {
                // A string: the MongoDB-wire emulator returns 64-bit integers as doubles.
                probe.ProbeStarted(long.Parse(parameters["t"]!.GetValue<string>(), CultureInfo.InvariantCulture));
                probe.JobRan();
                return ValueTask.FromResult<JsonNode?>(null);
            });
            b.AddTask<RealisticTask>("bench.real");
            b.AddTask("bench.track", (parameters, _) =>
            {
                openLoop.JobStarted(long.Parse(parameters["t"]!.GetValue<string>(), CultureInfo.InvariantCulture));
                probe.JobRan();
                return ValueTask.FromResult<JsonNode?>(null);
            });
            if (timer is not null)
            {
                b.ConfigureStorage((_, parts) =>
                {
                    parts.Jobs = new TimedJobStore(parts.Jobs!, timer);
                    parts.RawQueues = new TimedRawQueueStore(parts.RawQueues!, timer);
                });
            }
        });
        var workerQueue = queue;
        builder.Configure(o =>
        {
            o.Name = "bench";
            o.Greenlets = greenlets;
            o.Prefetch = prefetch ?? env.Options.Prefetch;
            o.MaxJobs = maxJobs;
            o.Queues = [workerQueue];
        });
        var provider = services.BuildServiceProvider();
        var host = new BenchHost(provider, backend, queue, raw, probe, openLoop, sharedTag is null ? cleanup : () => Task.CompletedTask) { LiteDbPath = litePath, Tag = tag };
        try
        {
            await host.Storage.InitializeAsync().ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>
    /// Raw members: <c>p&lt;timestamp&gt;</c> a latency probe, <c>t&lt;timestamp&gt;</c> an open-loop job, <c>i…</c> the
    /// 10 ms job, anything else a no-op.
    /// </summary>
    private static RawJob RawJobFactory(string member) => member[0] switch
    {
        'p' => new RawJob("bench.probe", new JsonObject { ["t"] = member[1..] }),
        't' => new RawJob("bench.track", new JsonObject { ["t"] = member[1..] }),
        'i' => new RawJob("bench.io", new JsonObject { ["m"] = member }),
        _ => new RawJob("bench.noop", new JsonObject { ["m"] = member }),
    };

    /// <summary>Creates a worker with the host's options.</summary>
    public IMrqWorker CreateWorker() => _services.GetRequiredService<IMrqWorkerFactory>().Create();

    /// <summary>Counts stored jobs in a status (for checking a run).</summary>
    public async Task<long> CountAsync(JobStatus status) =>
        await Storage.Jobs.CountAsync(new JobFilter { Statuses = [status] }, CancellationToken.None).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _cleanup().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"  (cleaning up after a {Backend} run failed: {ex.Message})").ConfigureAwait(false);
        }
    }
}
