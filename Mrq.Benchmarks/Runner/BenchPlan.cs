namespace Mrq.Benchmarks.Runner;

/// <summary>
/// The sizes of every workload, per backend and mode. Full mode follows the targets' sizes (N = 100,000 no-op jobs,
/// W = 1/8/20 like the Hangfire figures in peers-measured.md, 10k/100k/1M for scale); quick mode shrinks everything
/// to finish in under two minutes. Backends on the MongoDB-wire emulator get small N: it scans the whole collection
/// for every query.
/// </summary>
internal sealed class BenchPlan
{
    private readonly int? _jobs;

    public BenchPlan(bool quick, int? jobs = null)
    {
        Quick = quick;
        _jobs = jobs;
    }

    public bool Quick { get; }

    /// <summary>Greenlets / worker threads for the no-op dequeue runs.</summary>
    public IReadOnlyList<int> NoOpWorkers => Quick ? [8] : [1, 8, 20];

    /// <summary>
    /// Greenlets of the Python MRQ peer: W = 8 (the targets' W) only. Its W = 1 run on the MongoDB-wire emulator
    /// processed about one job a second (measured 2026-12-07: 663 of 2,000 jobs in 11 minutes), which alone would take
    /// hours over three repetitions.
    /// </summary>
    public IReadOnlyList<int> PythonMrqWorkers => [8];

    /// <summary>Greenlets for the 10 ms I/O-bound job.</summary>
    public IReadOnlyList<int> IoWorkers => Quick ? [8, 100] : [1, 8, 32, 100];

    /// <summary>The I/O-bound W values run on a backend: the MongoDB-wire emulator scans its whole collection per query, so it gets W ≤ 8.</summary>
    public IReadOnlyList<int> IoWorkersFor(string backend) => backend == "mongo" ? IoWorkers.Where(w => w <= 8).ToArray() : IoWorkers;

    /// <summary>Ideal duration of an I/O-bound run: N = W × this ÷ 10 ms.</summary>
    public double IoIdealSeconds => Quick ? 0.3 : 1.0;

    /// <summary>Enqueue→start probes per latency measurement.</summary>
    /// <summary>Realistic jobs per run (~1 ms of CPU each, so fewer than no-op jobs); none on the Redis raw paths.</summary>
    public int RealisticJobs(string backend) => backend switch
    {
        "litedb" or "inmemory" => Quick ? 2_000 : 10_000,
        "mongo" => Quick ? 200 : 1_000,
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "The realistic job runs on regular queues only."),
    };

    /// <summary>Jobs queued to measure the bytes a queued job takes.</summary>
    public int FootprintJobs => Quick ? 10_000 : 100_000;

    /// <summary>Jobs in the LiteDB file opened after a simulated crash.</summary>
    public int RecoveryJobs => Quick ? 100_000 : 1_000_000;

    /// <summary>Worker processes of the scale-out runs (W = 8 each, one queue).</summary>
    public IReadOnlyList<int> ScaleOutProcesses => [1, 2, 4];

    /// <summary>Seconds of load in the concurrent runs (producers and open loop).</summary>
    public double ConcurrentSeconds => Quick ? 2 : 5;

    /// <summary>Concurrent single-job producers of the closed-loop runs; the first gives the open loop's maximum.</summary>
    public IReadOnlyList<int> ProducerCounts => Quick ? [16] : [16, 64];

    /// <summary>Open-loop loads, in percent of the sustained maximum.</summary>
    public IReadOnlyList<int> OpenLoopPercents => [25, 50, 75];

    public int LatencySamples(string backend) => backend == "mongo" ? (Quick ? 50 : 300) : Quick ? 100 : 1000;

    /// <summary>No-op jobs per dequeue / end-to-end run.</summary>
    public int NoOpJobs(string backend) => _jobs ?? backend switch
    {
        "litedb" => Quick ? 10_000 : 100_000,
        "inmemory" => Quick ? 10_000 : 100_000,
        "redis" or "redis-aof" => Quick ? 10_000 : 100_000,
        "redis-stored" => Quick ? 300 : 2_000,
        "mongo" => Quick ? 300 : 2_000,
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null),
    };

    /// <summary>
    /// No-op jobs per dequeue run at <paramref name="w"/> greenlets: the full N at W = 8 (the targets' W), N ÷ 10 at
    /// other W in full mode, so a W = 1 run (one claim and one commit per job) does not dominate the run time.
    /// </summary>
    public int NoOpJobs(string backend, int w) => w == 8 || Quick || NoOpJobs(backend) < 10_000 ? NoOpJobs(backend) : NoOpJobs(backend) / 10;

    /// <summary>Jobs processed by a scale run over a queue of <paramref name="queued"/>: all of a small queue, the first 50,000 of a deep one.</summary>
    public int ScaleProcessed(int queued) => Math.Min(queued, Quick ? 10_000 : 50_000);

    /// <summary>Jobs queued one call at a time (single-enqueue loop).</summary>
    public int SingleEnqueueJobs(string backend) => backend switch
    {
        "litedb" => Quick ? 2_000 : 20_000,
        "inmemory" => Quick ? 5_000 : 50_000,
        "redis" => Quick ? 2_000 : 20_000,
        "mongo" => Quick ? 200 : 1_000,
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null),
    };

    /// <summary>Queue depths of the scale runs (W = 8); 1M only for LiteDB and in-memory, only in full mode.</summary>
    public IReadOnlyList<int> ScaleSizes(string backend) => backend switch
    {
        "litedb" or "inmemory" => Quick ? [10_000] : [10_000, 100_000, 1_000_000],
        "redis" => Quick ? [10_000] : [10_000, 100_000],
        _ => [],
    };

    /// <summary>Hangfire no-op jobs per run, by storage (smaller than peers-measured.md's 3,000 / 8,000 for SQLite / Redis, to fit the run time).</summary>
    public int HangfireJobs(string storage) => storage switch
    {
        "inmemory" => Quick ? 10_000 : 100_000,
        "sqlite" => Quick ? 200 : 1_000,
        "redis" => Quick ? 1_000 : 4_000,
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, null),
    };

    /// <summary>Jobs per LiteDB floor run (one insert + one update each): the same N as Mrq's LiteDB runs.</summary>
    public int LiteDbBaselineJobs => NoOpJobs("litedb");

    /// <summary>Operations / members per Redis floor loop: the same N as Mrq's Redis-only runs.</summary>
    public int RedisLoopOps => NoOpJobs("redis");

    public int MongoLoopDocs => Quick ? 300 : 2_000;
}
