using System.Diagnostics;
using System.Globalization;
using Mrq.Benchmarks.Baselines;
using Mrq.Benchmarks.Workloads;
using Mrq.Benchmarks.Peers;
using Mrq.Benchmarks.Report;

namespace Mrq.Benchmarks.Runner;

/// <summary>
/// Runs everything in one process, one measurement at a time: per backend the raw baselines, Mrq's workloads and the
/// matching Hangfire peer, then writes the report. Repetitions loop outside the W sweep, as in peers-measured.md.
/// </summary>
internal sealed class ThroughputRunner
{
    private readonly RunnerOptions _options;
    private readonly BenchPlan _plan;
    private readonly ResultSet _results = new();

    public ThroughputRunner(RunnerOptions options)
    {
        _options = options;
        _plan = new BenchPlan(options.Quick, options.Jobs);
    }

    public async Task<int> RunAsync()
    {
        var wall = Stopwatch.StartNew();
        await using var env = new BenchEnvironment(_options);
        var cpu = new CpuMonitor(_options.QuietWaitSeconds, ["redis-server " + new Uri(_options.RedisUrl).Port, "start-congo " + new Uri(_options.MongoUrl).Port]);
        var recorder = new Recorder(_results, cpu, _options.Quick);
        var machine = MachineInfo.Collect(_options.TempDirectory);
        var servers = await ServerInfo.CollectAsync(env, _options.Backends.Contains("redis") || _options.Backends.Contains("mongo")).ConfigureAwait(false);
        var report = new RunReport(_options, _plan, machine, servers, _results, recorder);
        Console.WriteLine($"Mrq throughput runner ({(_options.Quick ? "quick" : "full")}): backends {string.Join(", ", _options.Backends)}, {_options.Repetitions} repetition(s)");
        Console.WriteLine($"  {machine.Cores} cores, {machine.CpuModel}, {machine.Memory}, {machine.Os}, {machine.Runtime}, {machine.Gc}, {machine.BuildConfiguration}");
        Console.WriteLine($"  load average {machine.LoadAverage}; fsync probe {machine.FsyncPerSecond:N0}/s; servers watched: pids {string.Join(", ", cpu.ServerPids)}");
        Console.WriteLine($"  redis-server {servers.Redis}; mongo server {servers.Mongo}");

        var timer = _options.Profile ? new JobStoreTimer() : null;
        var mrq = new MrqWorkloads(env, _plan, recorder, timer);
        var hangfire = _options.Peers ? new HangfireRunner(env, recorder) : null;
        foreach (var backend in RunnerOptions.AllBackends.Where(_options.Backends.Contains))
        {
            var section = Stopwatch.StartNew();
            Console.WriteLine($"== {backend} ==");
            if (_options.Baselines)
            {
                await BaselinesAsync(env, recorder, backend).ConfigureAwait(false);
            }

            await MrqAsync(mrq, backend, report).ConfigureAwait(false);
            if (hangfire is not null && PeerOf(backend) is { } peer)
            {
                await HangfireAsync(env, hangfire, peer).ConfigureAwait(false);
            }

            Console.WriteLine($"== {backend} done in {section.Elapsed.TotalSeconds:N0} s ==");
        }

        report.Finish(wall.Elapsed, MachineInfo.LoadAverageNow());
        var files = report.Write();
        Console.WriteLine();
        Console.WriteLine(report.SummaryText());
        Console.WriteLine($"Wrote {string.Join(", ", files)} in {wall.Elapsed.TotalSeconds:N0} s.");
        return recorder.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The backends with a tuned-prefetch row (the emulator-backed ones are bound by the emulator, not by prefetch).</summary>
    public static bool HasTunedRow(string backend) => backend is "litedb" or "inmemory" or "redis";

    /// <summary>The Hangfire storage compared with a backend.</summary>
    public static string? PeerOf(string backend) => backend switch
    {
        "litedb" => "sqlite",
        "inmemory" => "inmemory",
        "redis" => "redis",
        _ => null,
    };

    private async Task BaselinesAsync(BenchEnvironment env, Recorder recorder, string backend)
    {
        for (var rep = 1; rep <= _options.Repetitions; rep++)
        {
            switch (backend)
            {
                case "litedb":
                    await new LiteDbBaseline(env, recorder).InsertThenUpdateAsync(_plan.LiteDbBaselineJobs, rep).ConfigureAwait(false);
                    break;
                case "redis":
                    await new RedisBaseline(env, recorder).LoopsAsync(_plan.RedisLoopOps, rep).ConfigureAwait(false);
                    break;
                case "mongo":
                    await new MongoBaseline(env, recorder).LoopAsync(_plan.MongoLoopDocs, rep).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task MrqAsync(MrqWorkloads mrq, string backend, RunReport report)
    {
        // The redis backend is measured twice: the Redis-only path (statuses_no_storage [started, success]) for
        // everything, and with every status stored in Mongo for dequeue / end to end.
        var variants = backend == "redis" ? new[] { "redis", "redis-stored" } : [backend];
        foreach (var variant in variants)
        {
            try
            {
                await mrq.WarmUpAsync(variant).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Console.WriteLine($"  {variant} warm-up FAILED: {ex.GetType().Name}: {ex.Message}");
                report.Note($"{variant}: warm-up failed ({ex.GetType().Name}: {ex.Message}); its runs may fail too.");
            }

            var n = _plan.NoOpJobs(variant);
            for (var rep = 1; rep <= _options.Repetitions; rep++)
            {
                if (variant != "redis-stored" && !_options.DequeueOnly)
                {
                    await mrq.EnqueueSingleAsync(variant, rep).ConfigureAwait(false);
                }

                foreach (var w in _plan.NoOpWorkers)
                {
                    await mrq.DequeueAsync(variant, _plan.NoOpJobs(variant, w), w, rep).ConfigureAwait(false);
                }

                // The tuned rows: the same run at W = 8 with a non-default prefetch, recorded under their own metrics.
                if (_options.TunedPrefetch > 0 && _options.TunedPrefetch != _options.Prefetch && HasTunedRow(variant))
                {
                    await mrq.DequeueAsync(variant, n, 8, rep, tunedPrefetch: _options.TunedPrefetch).ConfigureAwait(false);
                }

                // LiteDB with an fsync per group commit, the same run otherwise (default prefetch).
                if (_options.FsyncRow && variant == "litedb")
                {
                    await mrq.DequeueAsync(variant, n, 8, rep, flushToDisk: true).ConfigureAwait(false);
                }
            }

            if (variant == "redis-stored" || _options.DequeueOnly)
            {
                continue;
            }

            var rate = _results.Median("Mrq", variant, "dequeue", n, 8) ?? 1000;
            var busyRate = Math.Clamp(rate / 2, 50, 20_000);
            for (var rep = 1; rep <= _options.Repetitions; rep++)
            {
                await mrq.LatencyAsync(variant, rep, busyRate).ConfigureAwait(false);
                foreach (var w in _plan.IoWorkersFor(variant))
                {
                    await mrq.IoAsync(variant, w, rep).ConfigureAwait(false);
                }
            }

            // Scale: N queued, the first min(N, 50k) processed (all of a 10k queue); the 1M queue once.
            foreach (var size in _plan.ScaleSizes(variant).Where(s => _plan.ScaleProcessed(s) != s || s != n))
            {
                var reps = size >= 1_000_000 ? 1 : _options.Repetitions;
                for (var rep = 1; rep <= reps; rep++)
                {
                    await mrq.DequeueAsync(variant, size, 8, rep, _plan.ScaleProcessed(size)).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task HangfireAsync(BenchEnvironment env, HangfireRunner hangfire, string storage)
    {
        var n = _plan.HangfireJobs(storage);
        Console.WriteLine($"-- {HangfireRunner.Label(storage)} --");
        // One warm-up run (N/10, W = 8), not counted.
        await new HangfireRunner(env, new Recorder(new ResultSet(), new CpuMonitor(0, []), quick: true))
            .RunAsync(storage, Math.Max(50, n / 10), 8, 0).ConfigureAwait(false);
        for (var rep = 1; rep <= _options.Repetitions; rep++)
        {
            foreach (var w in _plan.NoOpWorkers)
            {
                await hangfire.RunAsync(storage, n, w, rep).ConfigureAwait(false);
            }

            await hangfire.LatencyAsync(storage, _options.Quick ? 30 : storage == "sqlite" ? 100 : 200, rep).ConfigureAwait(false);
            if (storage == "inmemory")
            {
                foreach (var w in _plan.IoWorkers)
                {
                    await hangfire.IoAsync(storage, w, _plan.IoIdealSeconds, rep).ConfigureAwait(false);
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- {HangfireRunner.Label(storage)} done --"));
    }
}
