using System.Globalization;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Peers;

/// <summary>
/// Hangfire in a fresh process: the runner starts this binary with <c>peer-hangfire STORAGE REP [throughput options]</c>
/// once per storage and repetition; the child runs one untimed warm-up, then the W sweep, the idle latency and (on
/// InMemory) the I/O-bound runs, and prints every measurement for the runner to record. Measuring Hangfire in the
/// runner's own process after Mrq's runs left it a heap, a GC budget and a thread pool shaped by those runs.
/// </summary>
internal static class HangfireProcess
{
    /// <summary>The runner side: one child per repetition, its measurements recorded as one attempt.</summary>
    public static Task<IReadOnlyList<Measurement>> MeasureAsync(Recorder recorder, RunnerOptions options, string storage, int rep) =>
        recorder.MeasureAsync($"hangfire {storage} rep {rep} (fresh process)", async () =>
        {
            var (fileName, prefix) = FreshProcess.Self();
            var arguments = prefix.Concat(["peer-hangfire", storage, rep.ToString(CultureInfo.InvariantCulture)])
                .Concat(options.Arguments).Concat(["--temp", options.TempDirectory]);
            var run = await FreshProcess.RunAsync(fileName, arguments, recorder.Cpu, TimeSpan.FromMinutes(30)).ConfigureAwait(false);
            var measured = run.Lines.Select(FreshProcess.Parse).ToArray();
            return measured.Length > 0 ? measured : throw new InvalidOperationException("the Hangfire child printed no measurement");
        });

    /// <summary>The child side; returns the exit code.</summary>
    public static async Task<int> RunChildAsync(IReadOnlyList<string> args)
    {
        if (args.Count < 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var rep))
        {
            await Console.Error.WriteLineAsync("usage: peer-hangfire inmemory|sqlite|redis REP [throughput options]").ConfigureAwait(false);
            return 2;
        }

        var storage = args[0];
        var options = RunnerOptions.Parse(args.Skip(2).ToArray());
        var plan = new BenchPlan(options.Quick, options.Jobs);
        await using var env = new BenchEnvironment(options);
        var cpu = new CpuMonitor(0, ThroughputRunner.ServerPatterns(options));
        var results = new ResultSet();
        var recorder = new Recorder(results, cpu, quick: true);
        var hangfire = new HangfireRunner(env, recorder);
        var n = plan.HangfireJobs(storage);
        await new HangfireRunner(env, new Recorder(new ResultSet(), new CpuMonitor(0, []), quick: true))
            .RunAsync(storage, Math.Max(50, n / 10), 8, 0).ConfigureAwait(false);
        foreach (var w in plan.NoOpWorkers)
        {
            await hangfire.RunAsync(storage, n, w, rep).ConfigureAwait(false);
        }

        await hangfire.LatencyAsync(storage, options.Quick ? 30 : storage == "sqlite" ? 100 : 200, rep).ConfigureAwait(false);
        if (storage == "inmemory")
        {
            foreach (var w in plan.IoWorkers)
            {
                await hangfire.IoAsync(storage, w, plan.IoIdealSeconds, rep).ConfigureAwait(false);
            }
        }

        var process = ProcessNote();
        foreach (var measurement in results.All)
        {
            Console.WriteLine(FreshProcess.Line(measurement with { Note = Join(measurement.Note, process) }));
        }

        return recorder.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The child's runtime settings, recorded with every figure it measured.</summary>
    internal static string ProcessNote() => "fresh process; " + MachineInfo.GcDescription();

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "; " + b;
}
