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
        var cpu = new CpuMonitor(_options.QuietWaitSeconds, ServerPatterns(_options));
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
        var bullmq = _options.Peers ? new BullMqRunner(_options, _plan, recorder) : null;
        var pythonMrq = _options.Peers ? new PythonMrqRunner(_options, _plan, recorder, env) : null;
        foreach (var backend in RunnerOptions.AllBackends.Where(_options.Backends.Contains))
        {
            var section = Stopwatch.StartNew();
            Console.WriteLine($"== {backend} ==");
            if (_options.Baselines)
            {
                await BaselinesAsync(env, recorder, backend).ConfigureAwait(false);
            }

            await MrqAsync(mrq, backend, report).ConfigureAwait(false);
            if (_options.Peers && PeerOf(backend) is { } peer)
            {
                await HangfireAsync(recorder, peer).ConfigureAwait(false);
            }

            if (bullmq is not null && backend == "redis")
            {
                await ForeignPeerAsync("BullMQ", bullmq.Unavailable(), report, async rep =>
                {
                    await bullmq.RunAsync("remove", rep).ConfigureAwait(false);
                    await bullmq.RunAsync("keep", rep).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }

            if (pythonMrq is not null && backend == "mongo")
            {
                await ForeignPeerAsync("Python MRQ", pythonMrq.Unavailable(), report, pythonMrq.RunAsync).ConfigureAwait(false);
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

    /// <summary>The command lines of the servers whose CPU is counted apart (redis-server, the MongoDB-wire emulator).</summary>
    public static IReadOnlyList<string> ServerPatterns(RunnerOptions options) =>
        new[] { "redis-server " + new Uri(options.RedisUrl).Port, "start-congo " + new Uri(options.MongoUrl).Port }
            .Concat(options.RedisAofUrl is { } aof ? ["redis-server " + new Uri(aof).Port] : []).ToArray();

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
                    if (_options.FsyncRow)
                    {
                        await new LiteDbBaseline(env, recorder).InsertThenUpdateAsync(_plan.LiteDbBaselineJobs, rep, flushToDisk: true).ConfigureAwait(false);
                    }

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
        List<string> variants = backend == "redis" ? ["redis", "redis-stored"] : [backend];
        if (backend == "redis" && _options.RedisAofUrl is not null)
        {
            variants.Insert(1, "redis-aof");
        }

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
                if (variant is not ("redis-stored" or "redis-aof") && !_options.DequeueOnly && !_options.LatencyOnly)
                {
                    await mrq.EnqueueSingleAsync(variant, rep).ConfigureAwait(false);
                }

                foreach (var w in _options.LatencyOnly ? [8] : _plan.NoOpWorkers)
                {
                    await mrq.DequeueAsync(variant, _plan.NoOpJobs(variant, w), w, rep).ConfigureAwait(false);
                }

                // The tuned rows: the same run at W = 8 with a non-default prefetch, recorded under their own metrics.
                if (_options.TunedPrefetch > 0 && _options.TunedPrefetch != _options.Prefetch && HasTunedRow(variant) && !_options.LatencyOnly)
                {
                    await mrq.DequeueAsync(variant, n, 8, rep, tunedPrefetch: _options.TunedPrefetch).ConfigureAwait(false);
                }

                // LiteDB with an fsync per group commit, the same run otherwise (default prefetch).
                if (_options.FsyncRow && variant == "litedb")
                {
                    await mrq.DequeueAsync(variant, n, 8, rep, flushToDisk: true).ConfigureAwait(false);
                }
            }

            if (variant is "redis-stored" or "redis-aof" || _options.DequeueOnly)
            {
                continue;
            }

            var rate = _results.Median("Mrq", variant, "dequeue", n, 8) ?? 1000;
            var busyRate = Math.Clamp(rate / 2, 50, 20_000);
            for (var rep = 1; rep <= _options.Repetitions; rep++)
            {
                await mrq.LatencyAsync(variant, rep, busyRate).ConfigureAwait(false);
                foreach (var w in _options.LatencyOnly ? [] : _plan.IoWorkersFor(variant))
                {
                    await mrq.IoAsync(variant, w, rep).ConfigureAwait(false);
                }
            }

            await ConcurrentAsync(mrq, variant).ConfigureAwait(false);
            if (_options.LatencyOnly)
            {
                continue;
            }

            if (variant is "redis" or "mongo")
            {
                for (var rep = 1; rep <= _options.Repetitions; rep++)
                {
                    foreach (var processes in _plan.ScaleOutProcesses)
                    {
                        await mrq.ScaleOutAsync(variant, processes, rep).ConfigureAwait(false);
                    }
                }
            }
            if (variant is "litedb" or "inmemory" or "redis")
            {
                await mrq.FootprintAsync(variant, _plan.FootprintJobs, 1).ConfigureAwait(false);
            }

            if (variant == "litedb")
            {
                await mrq.RecoveryAsync(_plan.RecoveryJobs, 1).ConfigureAwait(false);
            }
            if (variant is "litedb" or "inmemory" or "mongo")
            {
                for (var rep = 1; rep <= _options.Repetitions; rep++)
                {
                    await mrq.RealisticAsync(variant, 8, rep).ConfigureAwait(false);
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

    /// <summary>
    /// Producers and the worker at once: closed-loop single producers give the sustained maximum (the median of the
    /// first producer count's end-to-end rate), then open-loop runs at fractions of it.
    /// </summary>
    private async Task ConcurrentAsync(MrqWorkloads mrq, string variant)
    {
        for (var rep = 1; rep <= _options.Repetitions; rep++)
        {
            foreach (var producers in _plan.ProducerCounts)
            {
                await mrq.ProducersAsync(variant, producers, rep).ConfigureAwait(false);
            }
        }

        var maximum = _results.Median("Mrq", variant, string.Create(CultureInfo.InvariantCulture, $"producers-{_plan.ProducerCounts[0]}-e2e"));
        if (maximum is not { } max || max <= 0)
        {
            return;
        }

        for (var rep = 1; rep <= _options.Repetitions; rep++)
        {
            foreach (var percent in _plan.OpenLoopPercents)
            {
                await mrq.OpenLoopAsync(variant, percent, max * percent / 100, rep).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hangfire on one storage, a fresh process per repetition (warm-up, W sweep, latency, I/O inside it).</summary>
    private async Task HangfireAsync(Recorder recorder, string storage)
    {
        Console.WriteLine($"-- {HangfireRunner.Label(storage)} (a fresh process per repetition) --");
        for (var rep = 1; rep <= _options.Repetitions; rep++)
        {
            await HangfireProcess.MeasureAsync(recorder, _options, storage, rep).ConfigureAwait(false);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- {HangfireRunner.Label(storage)} done --"));
    }

    /// <summary>
    /// A non-.NET peer (BullMQ, Python MRQ), a fresh process per run, <paramref name="repetition"/> once per
    /// repetition; skipped with a note in the report when <paramref name="unavailable"/> says why it cannot run.
    /// </summary>
    private async Task ForeignPeerAsync(string name, string? unavailable, RunReport report, Func<int, Task> repetition)
    {
        if (unavailable is not null)
        {
            Console.WriteLine($"-- {name} skipped: {unavailable} --");
            report.Note($"{name} not run: {unavailable}.");
            return;
        }

        Console.WriteLine($"-- {name} (a fresh process per run) --");
        for (var rep = 1; rep <= _options.Repetitions; rep++)
        {
            await repetition(rep).ConfigureAwait(false);
        }
    }
}
