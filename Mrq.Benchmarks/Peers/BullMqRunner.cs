using System.Globalization;
using System.Text.Json;
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
        return Directory.Exists(modules) ? null : $"BullMQ not installed: run `npm ci --prefix {Path.GetDirectoryName(_script)}` (tools/run-benchmarks.sh does)";
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
                return Measurements(run, configuration, rep);
            }).ConfigureAwait(false);
        }
    }

    private static List<Measurement> Measurements(ChildRun run, string configuration, int rep)
    {
        var lines = run.Lines.Select(line => JsonSerializer.Deserialize<NodeMeasurement>(line, s_json)
            ?? throw new FormatException("an empty BullMQ measurement line")).ToArray();
        var process = lines.SingleOrDefault(l => l.Metric == "process-cpu")
            ?? throw new InvalidOperationException("the BullMQ child printed no process-cpu line");
        // The machine's "others" over the child's life include the child itself: take its own CPU out.
        var childPercent = run.WallSeconds > 0 ? 100 * process.Value / run.WallSeconds : 0;
        var others = Math.Max(0, run.Machine.Others - childPercent);
        var measured = lines.Where(l => l.Metric != "process-cpu").Select(l => new Measurement
        {
            System = "BullMQ",
            Backend = configuration,
            Metric = l.Metric,
            N = l.N,
            W = l.W,
            Rep = rep,
            Value = l.Value,
            Unit = "jobs/s",
            Seconds = l.Seconds,
            FirstJobMs = l.FirstJobMs,
            PeakWorkingSet = l.PeakRss,
            Cpu = new CpuUse(l.CpuSelfPercent, run.Machine.Servers, others),
            Note = string.IsNullOrEmpty(l.Note) ? $"fresh process; {process.Note}" : $"{l.Note}; fresh process; {process.Note}",
        }).ToList();
        return measured.Count > 0 ? measured : throw new InvalidOperationException("the BullMQ child printed no measurement");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>One line of bench.mjs's output.</summary>
    private sealed record NodeMeasurement(string Metric, int N, int W, double Value, double Seconds, double CpuSelfPercent, long? PeakRss, double? FirstJobMs, string? Note);
}
