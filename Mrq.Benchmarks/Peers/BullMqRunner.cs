using System.Globalization;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Peers;

/// <summary>
/// BullMQ (node, <c>tools/bench-peers/bullmq</c>) on the same redis-server as Mrq, a fresh node process per
/// repetition and W, with the workload of Mrq's dequeue runs: N no-op jobs added in batches of 1000 (<c>addBulk</c>),
/// then a <c>Worker</c> with concurrency W timed from its construction until N jobs completed. Two configurations:
/// <c>remove</c> (<c>removeOnComplete: true</c>, compared with Mrq's no-record raw path) and <c>keep</c>
/// (BullMQ's defaults: every completed job stays in Redis, compared with Mrq's stored paths).
/// </summary>
internal sealed class BullMqRunner
{
    /// <summary>The options used, for the report.</summary>
    public const string Configuration =
        "BullMQ 6.7.0 with ioredis 5.11.1 on node (version in the CSV notes), one `Queue` and one `Worker` per run on the same redis-server as Mrq; " +
        "`new Worker(queue, async () => {}, { connection, concurrency: W })`, defaults otherwise (its blocking fetch, stalled-job checks, metrics off). " +
        "`remove`: jobs added with `removeOnComplete: true`; `keep`: default job options (completed jobs kept). A warm-up run of N/10 jobs in the same process first.";

    private readonly RunnerOptions _options;
    private readonly BenchPlan _plan;
    private readonly Recorder _recorder;
    private readonly string _script;

    public BullMqRunner(RunnerOptions options, BenchPlan plan, Recorder recorder)
    {
        _options = options;
        _plan = plan;
        _recorder = recorder;
        _script = Path.Combine(RunnerOptions.RepositoryRoot(), "tools", "bench-peers", "bullmq", "bench.mjs");
    }

    /// <summary>Why BullMQ cannot run here (node or its packages missing), or null when it can.</summary>
    public string? Unavailable()
    {
        var modules = Path.Combine(Path.GetDirectoryName(_script)!, "node_modules", "bullmq");
        return Directory.Exists(modules) ? null : $"not installed: run `npm ci --prefix {Path.GetDirectoryName(_script)}` (tools/run-benchmarks.sh does)";
    }

    /// <summary>The storage's label in tables.</summary>
    public static string Label(string configuration) => configuration switch
    {
        "remove" => "BullMQ, removeOnComplete",
        "keep" => "BullMQ, defaults (completed jobs kept in Redis)",
        _ => configuration,
    };

    /// <summary>One repetition: a node process per W (the W = 8 one also times single adds).</summary>
    public async Task RunAsync(string configuration, int rep)
    {
        foreach (var w in _plan.NoOpWorkers)
        {
            var n = _plan.NoOpJobs("redis", w);
            await _recorder.MeasureAsync($"bullmq {configuration} N={n} W={w} rep {rep} (fresh process)", async () =>
            {
                var arguments = new List<string>
                {
                    _script, "--redis", _options.RedisUrl, "--n", Invariant(n), "--w", Invariant(w),
                    "--remove-on-complete", configuration == "remove" ? "1" : "0",
                };
                if (w == 8)
                {
                    arguments.AddRange(["--single", Invariant(_plan.SingleEnqueueJobs("redis"))]);
                }

                var run = await FreshProcess.RunAsync("node", arguments, _recorder.Cpu, TimeSpan.FromMinutes(20)).ConfigureAwait(false);
                return PeerLines.Measurements(run, "BullMQ", configuration, rep);
            }).ConfigureAwait(false);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
