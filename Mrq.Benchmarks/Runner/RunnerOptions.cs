using System.Globalization;

namespace Mrq.Benchmarks.Runner;

/// <summary>The throughput runner's command line.</summary>
internal sealed class RunnerOptions
{
    public const string Usage =
        "throughput options:\n" +
        "  --quick                 small N, one repetition unless --reps, W = 8 only: a first look in under 2 minutes on a quiet machine\n" +
        "  --backend LIST          litedb, inmemory, redis, mongo or all (default), comma-separated\n" +
        "  --no-peers              skip the peers (Hangfire, BullMQ; each runs in fresh processes)\n" +
        "  --no-baselines          skip the raw LiteDB / Redis / Mongo baselines\n" +
        "  --reps N                repetitions per measurement (default 3; 1 with --quick)\n" +
        "  --out DIR               where benchmarks.md, benchmarks.csv and the PNGs go (default <repo>/docs)\n" +
        "  --temp DIR              where LiteDB and SQLite files go (default the system temp dir)\n" +
        "  --redis URL             Redis for the redis backend and peers (default redis://127.0.0.1:6390)\n" +
        "  --mongo URL             MongoDB server (default mongodb://127.0.0.1:27117; a database per run is created and dropped)\n" +
        "  --jobs N                no-op jobs per dequeue run at W = 8 on every backend (default per backend and mode)\n" +
        "  --prefetch N|auto       Mrq workers' prefetch for every run: jobs claimed ahead of free greenlets (default auto: Mrq's adaptive default)\n" +
        "  --tuned-prefetch N      also run dequeue / end to end at W = 8 with this prefetch, reported as separate tuned rows (default 128; 0 = none)\n" +
        "  --redis-aof URL         a second Redis with appendonly yes, appendfsync everysec: the no-record raw path is also measured on it (run-benchmarks.sh starts one)\n" +
        "  --mrq-checkout DIR      a checkout of pricingassistant/mrq: also run Python MRQ's worker on the mongo backend's servers (default $MRQ_CHECKOUT)\n" +
        "  --fsync-row             also run LiteDB dequeue / end to end at W = 8 with FlushToDisk = true, reported as separate fsync rows\n" +
        "  --dequeue-only          only the no-op dequeue / end-to-end runs (no single enqueue, latency, IO or scale runs)\n" +
        "  --latency-only          only the W = 8 dequeue run (its rate sets the loads), the enqueue -> start latency probes and the concurrent runs\n" +
        "  --profile               time every job-store call (claim, complete, insert) and print where the time goes\n" +
        "  --quiet-wait SECONDS    longest wait before each timed run for other processes to go quiet (default 15; 0 with --quick)";

    public static readonly IReadOnlyList<string> AllBackends = ["litedb", "inmemory", "redis", "mongo"];

    public bool Quick { get; private set; }

    public IReadOnlySet<string> Backends { get; private set; } = new HashSet<string>(AllBackends, StringComparer.Ordinal);

    public bool Peers { get; private set; } = true;

    public bool Baselines { get; private set; } = true;

    public int Repetitions { get; private set; } = 3;

    public string OutputDirectory { get; private set; } = "";

    public string TempDirectory { get; private set; } = "";

    /// <summary>True when the temp directory is the runner's own (created and removed by it).</summary>
    public bool OwnsTempDirectory { get; private set; }

    public string RedisUrl { get; private set; } = "redis://127.0.0.1:6390";

    public string MongoUrl { get; private set; } = "mongodb://127.0.0.1:27117";

    public bool Profile { get; private set; }

    /// <summary>A Redis with append-only persistence (fsync every second) for the durable raw-queue row; null skips it.</summary>
    public string? RedisAofUrl { get; private set; }

    /// <summary>A checkout of Python MRQ to measure beside the mongo backend; null skips it.</summary>
    public string? MrqCheckout { get; private set; } = Environment.GetEnvironmentVariable("MRQ_CHECKOUT") is { Length: > 0 } env ? Path.GetFullPath(env) : null;

    /// <summary>Overrides the no-op jobs per dequeue run at W = 8 (for profiling); null keeps the plan's sizes.</summary>
    public int? Jobs { get; private set; }

    /// <summary>The Mrq workers' <c>prefetch</c> option for every run: null (the product's adaptive default) unless told.</summary>
    public int? Prefetch { get; private set; }

    /// <summary>The prefetch as the report shows it.</summary>
    public string PrefetchLabel => Prefetch?.ToString(CultureInfo.InvariantCulture) ?? "adaptive";

    /// <summary>Also run LiteDB at W = 8 with <c>FlushToDisk</c> on (the <c>-fsync</c> metrics).</summary>
    public bool FsyncRow { get; private set; }

    /// <summary>Only the no-op dequeue / end-to-end runs.</summary>
    public bool DequeueOnly { get; private set; }

    /// <summary>Only the W = 8 dequeue run, the latency probes and the concurrent (closed and open loop) runs.</summary>
    public bool LatencyOnly { get; private set; }

    /// <summary>The prefetch of the additional tuned dequeue rows; 0 when none are run.</summary>
    public int TunedPrefetch { get; private set; } = 128;

    public double QuietWaitSeconds { get; private set; } = 15;

    /// <summary>The argument list as given, for the report.</summary>
    public string CommandLine { get; private set; } = "";

    /// <summary>The arguments as given, passed on to the peers' child processes.</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <exception cref="ArgumentException">An unknown or malformed option.</exception>
    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunnerOptions { CommandLine = string.Join(' ', args), Arguments = args.ToArray() };
        int? reps = null;
        double? quietWait = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            int NextInt(int minimum)
            {
                var value = int.Parse(Next(), CultureInfo.InvariantCulture);
                return value >= minimum ? value : throw new ArgumentException($"{arg} must be at least {minimum}.");
            }

            int? NextAuto()
            {
                i++;
                return null;
            }

            switch (arg)
            {
                case "--quick":
                    options.Quick = true;
                    break;
                case "--backend":
                    options.Backends = ParseBackends(Next());
                    break;
                case "--no-peers":
                    options.Peers = false;
                    break;
                case "--no-baselines":
                    options.Baselines = false;
                    break;
                case "--reps":
                    reps = NextInt(1);
                    break;
                case "--out":
                    options.OutputDirectory = Path.GetFullPath(Next());
                    break;
                case "--temp":
                    options.TempDirectory = Path.GetFullPath(Next());
                    break;
                case "--redis":
                    options.RedisUrl = Next();
                    break;
                case "--mongo":
                    options.MongoUrl = Next().TrimEnd('/');
                    break;
                case "--redis-aof":
                    options.RedisAofUrl = Next();
                    break;
                case "--mrq-checkout":
                    options.MrqCheckout = Path.GetFullPath(Next());
                    break;
                case "--profile":
                    options.Profile = true;
                    break;
                case "--jobs":
                    options.Jobs = NextInt(1);
                    break;
                case "--prefetch":
                    options.Prefetch = i + 1 < args.Count && args[i + 1] == "auto" ? NextAuto() : NextInt(0);
                    break;
                case "--fsync-row":
                    options.FsyncRow = true;
                    break;
                case "--dequeue-only":
                    options.DequeueOnly = true;
                    break;
                case "--latency-only":
                    options.LatencyOnly = true;
                    break;
                case "--tuned-prefetch":
                    options.TunedPrefetch = NextInt(0);
                    break;
                case "--quiet-wait":
                    quietWait = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{arg}'.");
            }
        }

        options.Repetitions = reps ?? (options.Quick ? 1 : 3);
        options.QuietWaitSeconds = quietWait ?? (options.Quick ? 0 : 15);
        if (options.OutputDirectory.Length == 0)
        {
            options.OutputDirectory = Path.Combine(RepositoryRoot(), "docs");
        }

        if (options.TempDirectory.Length == 0)
        {
            options.TempDirectory = Path.Combine(Path.GetTempPath(), $"mrq-bench-{Environment.ProcessId}");
            options.OwnsTempDirectory = true;
        }

        return options;
    }

    private static HashSet<string> ParseBackends(string value)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == "all")
            {
                set.UnionWith(AllBackends);
            }
            else if (AllBackends.Contains(name))
            {
                set.Add(name);
            }
            else
            {
                throw new ArgumentException($"Unknown backend '{name}' (litedb, inmemory, redis, mongo, all).");
            }
        }

        return set.Count == 0 ? throw new ArgumentException("--backend names no backend.") : set;
    }

    /// <summary>The directory holding Mrq.sln, found upwards from the working directory, else from the binary.</summary>
    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Mrq.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
