using System.Diagnostics;
using Hangfire;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Peers;

/// <summary>
/// Hangfire 1.8 on Hangfire.InMemory, Hangfire.Storage.SQLite (a file: durable) and Hangfire.Redis.StackExchange
/// (the same Redis as Mrq), measured by peers-measured.md's method: a fresh storage per run; N jobs enqueued one
/// at a time with no server running (timed alone: enqueue jobs/s); then a <see cref="BackgroundJobServer"/> with
/// WorkerCount = W, timed from its constructor until the statistics report N succeeded.
/// </summary>
internal sealed partial class HangfireRunner
{
    /// <summary>The options used, for the report.</summary>
    public const string Configuration =
        "Global: `SetDataCompatibilityLevel(Version_180)`, `UseSimpleAssemblyNameTypeSerializer()`, `UseRecommendedSerializerSettings()`, " +
        "default global filters, a log provider printing Warn and above. One `BackgroundJobClient` per run; server: " +
        "`new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = W, SchedulePollingInterval = 1 s }, storage)`, queue `default`. " +
        "Hangfire.InMemory: `new InMemoryStorage(new InMemoryStorageOptions())` (defaults). " +
        "Hangfire.Storage.SQLite: a new file per run, `new SQLiteStorage(file, new SQLiteStorageOptions { QueuePollInterval = 100 ms })` " +
        "(WAL, synchronous=FULL by default: durable). " +
        "Hangfire.Redis.StackExchange: `new RedisStorage(multiplexer, new RedisStorageOptions { Prefix = \"{hfbench…}:\" })` on the same " +
        "redis-server as Mrq, defaults otherwise (transactions, pub/sub fetch wake-up); one multiplexer per run, its keys deleted after.";

    private static readonly Lock s_configureGate = new();
    private static bool s_configured;
    private readonly BenchEnvironment _env;
    private readonly Recorder _recorder;

    public HangfireRunner(BenchEnvironment env, Recorder recorder)
    {
        _env = env;
        _recorder = recorder;
        ConfigureGlobal();
    }

    /// <summary>The storage's label in tables.</summary>
    public static string Label(string storage) => storage switch
    {
        "inmemory" => "Hangfire + InMemory",
        "sqlite" => "Hangfire + SQLite (file)",
        "redis" => "Hangfire + Redis",
        _ => storage,
    };

    /// <summary>One end-to-end run: enqueue N no-op jobs (server stopped), then server start → N succeeded.</summary>
    public Task<IReadOnlyList<Measurement>> RunAsync(string storage, int n, int w, int rep) =>
        _recorder.MeasureAsync($"hangfire {storage} N={n} W={w}", async () =>
        {
            await using var handle = await CreateStorageAsync(storage).ConfigureAwait(false);
            var client = new BackgroundJobClient(handle.Storage);
            SectionStats enqueue;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                for (var i = 0; i < n; i++)
                {
                    client.Enqueue(() => HangfireJobs.NoOp());
                }

                enqueue = section.Stop();
            }

            GC.Collect();
            var (process, firstJob, note) = await ProcessAsync(handle.Storage, n, w).ConfigureAwait(false);
            var whole = enqueue.Elapsed + process.Elapsed;
            return
            [
                enqueue.Into(Peer(storage, "enqueue-single", n, w, rep, n / enqueue.Elapsed.TotalSeconds, "jobs/s"), n),
                process.Into(Peer(storage, "dequeue", n, w, rep, n / process.Elapsed.TotalSeconds, "jobs/s"), n) with { FirstJobMs = firstJob, Note = note },
                process.Into(Peer(storage, "e2e", n, w, rep, n / whole.TotalSeconds, "jobs/s"), n) with { Seconds = whole.TotalSeconds, Note = note },
            ];
        });

    /// <summary>The 10 ms I/O-bound job (an async method, which Hangfire waits for on its worker thread).</summary>
    public Task<IReadOnlyList<Measurement>> IoAsync(string storage, int w, double idealSeconds, int rep)
    {
        var n = (int)Math.Round(w * idealSeconds / 0.010);
        var ideal = n * 0.010 / w;
        return _recorder.MeasureAsync($"hangfire {storage} io W={w}", async () =>
        {
            await using var handle = await CreateStorageAsync(storage).ConfigureAwait(false);
            var client = new BackgroundJobClient(handle.Storage);
            for (var i = 0; i < n; i++)
            {
                client.Enqueue(() => HangfireJobs.Io10());
            }

            var (process, _, note) = await ProcessAsync(handle.Storage, n, w).ConfigureAwait(false);
            return
            [
                process.Into(Peer(storage, "io-jobs/s", n, w, rep, n / process.Elapsed.TotalSeconds, "jobs/s"), n) with { Note = note },
                process.Into(Peer(storage, "io-efficiency", n, w, rep, 100 * ideal / process.Elapsed.TotalSeconds, "%"), n) with { Note = note },
            ];
        });
    }

    /// <summary>Starts a server and times it until N jobs succeeded (body counter first, then the statistics every 2 ms).</summary>
    private async Task<(SectionStats Stats, double? FirstJobMs, string Note)> ProcessAsync(JobStorage storage, int n, int w)
    {
        var reached = HangfireJobs.Expect(n);
        var monitoring = storage.GetMonitoringApi();
        var succeededBefore = monitoring.GetStatistics().Succeeded;
        var note = "";
        SectionStats stats;
        var start = Stopwatch.GetTimestamp();
        using (var section = TimedSection.Start(_recorder.Cpu))
        {
            using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = w, SchedulePollingInterval = TimeSpan.FromSeconds(1) }, storage);
            if (!await WaitWithProgressAsync(reached).ConfigureAwait(false))
            {
                note = $"STALLED: {HangfireJobs.Count} of {n} ran; last Hangfire warning: {WarnLogProvider.LastError ?? "none"}";
            }
            else
            {
                while (monitoring.GetStatistics().Succeeded - succeededBefore < n)
                {
                    await Task.Delay(2).ConfigureAwait(false);
                }
            }

            stats = section.Stop();
            server.SendStop();
        }

        var first = HangfireJobs.FirstTimestamp;
        return (stats, first == 0 ? null : Stopwatch.GetElapsedTime(start, first).TotalMilliseconds, note);
    }

    /// <summary>Waits for the target; false when no job ran for a minute.</summary>
    private static async Task<bool> WaitWithProgressAsync(Task reached)
    {
        var last = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (!reached.IsCompleted)
        {
            await Task.WhenAny(reached, Task.Delay(500)).ConfigureAwait(false);
            var count = HangfireJobs.Count;
            if (count != last)
            {
                last = count;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (!reached.IsCompleted && Stopwatch.GetElapsedTime(lastProgress) > TimeSpan.FromSeconds(60))
            {
                return false;
            }
        }

        return true;
    }

    private static void ConfigureGlobal()
    {
        lock (s_configureGate)
        {
            if (s_configured)
            {
                return;
            }

            GlobalConfiguration.Configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new WarnLogProvider());
            s_configured = true;
        }
    }

    private static Measurement Peer(string storage, string metric, int n, int w, int rep, double value, string unit) => new()
    {
        System = "Hangfire",
        Backend = storage,
        Metric = metric,
        N = n,
        W = w,
        Rep = rep,
        Value = value,
        Unit = unit,
    };
}
