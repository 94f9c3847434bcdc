using System.Globalization;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Peers;

/// <summary>
/// Python MRQ itself (the system Mrq re-implements; <c>tools/bench-peers/python-mrq/bench.py</c> on Debian's python3
/// packages and a checkout of pricingassistant/mrq) on the same Redis and Mongo server as Mrq's regular-queue rows:
/// N no-op jobs queued with <c>queue_jobs</c>, then MRQ's own worker process with <c>--greenlets W --max_jobs N</c>,
/// a fresh Python process per repetition and W.
/// </summary>
internal sealed class PythonMrqRunner
{
    /// <summary>The options used, for the report.</summary>
    public const string Configuration =
        "Debian 12's python3 with its python3-gevent / python3-pymongo / python3-redis packages and MRQ's source as given by `--mrq-checkout` " +
        "(unpatched; pricingassistant/mrq 5a1154d, version 0.9.10, in the committed run). Jobs: `queue_jobs(\"mrq_bench_tasks.NoOp\", …, batch_size=1000)` " +
        "on a queue of its own; worker: `mrq/bin/mrq_worker.py --mongodb_jobs … --redis … --greenlets W --max_jobs N QUEUE`, MRQ's defaults otherwise. " +
        "Dequeue is timed from the first job's `datestarted` to the last job's `dateupdated` as MRQ stored them (millisecond dates), leaving out the " +
        "worker process's start-up; every job must be stored `success`. The Mongo server is the shimmed emulator MRQ needs (tools/mongo-wire/start-congo-mrq.mjs).";

    private readonly RunnerOptions _options;
    private readonly BenchPlan _plan;
    private readonly Recorder _recorder;
    private readonly BenchEnvironment _env;
    private readonly string _script;

    public PythonMrqRunner(RunnerOptions options, BenchPlan plan, Recorder recorder, BenchEnvironment env)
    {
        _options = options;
        _plan = plan;
        _recorder = recorder;
        _env = env;
        _script = Path.Combine(RunnerOptions.RepositoryRoot(), "tools", "bench-peers", "python-mrq", "bench.py");
    }

    /// <summary>The Python interpreter: Debian's, where MRQ's dependencies are installed.</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Why Python MRQ cannot run here, or null when it can.</summary>
    public string? Unavailable() => _options.MrqCheckout is not { } checkout
        ? "no MRQ checkout given (`--mrq-checkout DIR` or MRQ_CHECKOUT)"
        : File.Exists(Path.Combine(checkout, "mrq", "bin", "mrq_worker.py")) ? null : $"{checkout} is not a checkout of pricingassistant/mrq";

    /// <summary>One repetition: a Python process per W, on a Mongo database of its own, dropped after.</summary>
    public async Task RunAsync(int rep)
    {
        foreach (var w in _plan.PythonMrqWorkers)
        {
            var n = _plan.NoOpJobs("mongo", w);
            await _recorder.MeasureAsync($"python-mrq N={n} W={w} rep {rep} (fresh process)", async () =>
            {
                var database = string.Create(CultureInfo.InvariantCulture, $"mrqbench_py_{Environment.ProcessId}_{_env.NextRun()}");
                try
                {
                    var arguments = new[]
                    {
                        _script, "--mrq", _options.MrqCheckout!, "--mongo", $"{_options.MongoUrl}/{database}", "--redis", _options.RedisUrl,
                        "--n", n.ToString(CultureInfo.InvariantCulture), "--w", w.ToString(CultureInfo.InvariantCulture),
                    };
                    // Its worker runs ~280 jobs/s on the emulator (seconds for the plan's N); it once hung on its last job at
                    // 90 % CPU ignoring SIGTERM, so a stuck repetition fails after minutes, not half an hour.
                    var run = await FreshProcess.RunAsync(Python, arguments, _recorder.Cpu, TimeSpan.FromMinutes(6)).ConfigureAwait(false);
                    return PeerLines.Measurements(run, "PythonMRQ", "mongo", rep);
                }
                finally
                {
                    await _env.DropMongoDatabaseAsync(database).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
    }
}
