using Mrq.Benchmarks.Baselines;
using System.Globalization;
using System.Text;

namespace Mrq.Benchmarks.Report;

/// <summary>The goals of the benchmark issues, checked against this run's medians.</summary>
internal sealed partial class RunReport
{
    /// <summary>The targets, each with its measured median and verdict.</summary>
    internal IReadOnlyList<Target> Targets()
    {
        var targets = new List<Target>();
        var nLite = _plan.NoOpJobs("litedb");
        var sizeNote = nLite == 100_000 ? "" : $" (quick mode: N = {nLite:N0}, not 100,000)";
        var liteE2e = M("Mrq", "litedb", "e2e", nLite, 8);
        var liteDequeue = M("Mrq", "litedb", "dequeue", nLite, 8);
        var liteTunedE2e = M("Mrq", "litedb", "e2e" + Workloads.MrqWorkloads.TunedSuffix, nLite, 8);
        var floorE2e = M("Baseline", "litedb", "insert-update");
        var floorUpdate = M("Baseline", "litedb", "claim-update");
        var sqlite = M("Hangfire", "sqlite", "dequeue", null, 8);
        var defaults = $"prefetch {_options.PrefetchLabel}, fsync off, phases sequential";
        if (liteE2e is not null)
        {
            targets.Add(new Target($"LiteDB end to end ≥ 20,000 jobs/s (N = 100,000, W = 8; {defaults})" + sizeNote, $"{MedianRange("Mrq", "litedb", "e2e", nLite, 8)} jobs/s", liteE2e >= 20_000,
                $"dequeue phase alone {N0(liteDequeue)} jobs/s; tuned prefetch {_options.TunedPrefetch}: {N0(liteTunedE2e)} jobs/s end to end"));
            targets.Add(new Target($"LiteDB end to end ≥ 70 % of the like-for-like floor (1 insert + 1 update per job, same document and index; {defaults})",
                Percent(liteE2e, floorE2e), Ge(liteE2e, floorE2e, 0.70),
                $"Mrq {N0(liteE2e)} vs floor {N0(floorE2e)} jobs/s; dequeue {Percent(liteDequeue, floorUpdate)} of the floor's claim read + update ({N0(floorUpdate)} jobs/s); tuned prefetch {_options.TunedPrefetch}: {Percent(liteTunedE2e, floorE2e)}"));
            var pause = _results.Median("Mrq", "litedb", "e2e", m => m.GcPauseShare, nLite, 8);
            targets.Add(new Target($"LiteDB end to end: share of wall time paused by the GC ≤ {GcPauseGoal:P1} (half of the 27–32 % measured when issue 13 was filed; {defaults})",
                pause is { } p ? p.ToString("P1", CultureInfo.InvariantCulture) : "–", pause <= GcPauseGoal,
                $"{N0(_results.Median("Mrq", "litedb", "e2e", m => m.AllocatedPerJob, nLite, 8))} B allocated per job; {_machine.Gc}"));
        }

        var liteFsync = M("Mrq", "litedb", "e2e" + Workloads.MrqWorkloads.FsyncSuffix, nLite, 8);
        if (liteFsync is not null)
        {
            var floorFsync = M("Baseline", "litedb", "insert-update" + Workloads.MrqWorkloads.FsyncSuffix);
            targets.Add(new Target($"LiteDB end to end with fsync on (`FlushToDisk`, the product's default) ≥ 50 % of the floor with an fsync per commit (prefetch {_options.PrefetchLabel}, phases sequential)",
                Percent(liteFsync, floorFsync), Ge(liteFsync, floorFsync, 0.5),
                $"Mrq {N0(liteFsync)} vs floor {N0(floorFsync)} jobs/s; fsync off: Mrq {N0(liteE2e)}, floor {N0(floorE2e)} (fsync costs Mrq {Percent(liteE2e - liteFsync, liteE2e)})"));
        }

        if (liteDequeue is not null)
        {
            targets.Add(new Target("LiteDB ≥ 50× Hangfire + SQLite (W = 8) — not like-for-like durability: Mrq fsync off, SQLite synchronous=FULL", Ratio(liteDequeue, sqlite), Ge(liteDequeue, sqlite, 50),
                $"processing phase, same method: Mrq {N0(liteDequeue)} vs Hangfire {N0(sqlite)} jobs/s; end to end {Ratio(liteE2e, M("Hangfire", "sqlite", "e2e", null, 8))}"));
        }

        var memory = M("Mrq", "inmemory", "dequeue", _plan.NoOpJobs("inmemory"), 8);
        if (memory is not null)
        {
            var hfMemory = M("Hangfire", "inmemory", "dequeue", null, 8);
            targets.Add(new Target($"in-memory ≥ 3× Hangfire.InMemory (W = 8, Mrq prefetch {_options.PrefetchLabel}; Hangfire in a fresh process)", Ratio(memory, hfMemory), Ge(memory, hfMemory, 3),
                $"Mrq {N0(memory)} vs Hangfire {N0(hfMemory)} jobs/s; tuned prefetch {_options.TunedPrefetch}: {Ratio(M("Mrq", "inmemory", "dequeue" + Workloads.MrqWorkloads.TunedSuffix, _plan.NoOpJobs("inmemory"), 8), hfMemory)}"));
        }

        var popFloor = RedisPopFloor;
        var noRecord = M("Mrq", "redis", "dequeue", _plan.NoOpJobs("redis"), 8);
        if (noRecord is not null)
        {
            targets.Add(new Target($"Redis raw queue, no job record: dequeue ≥ 50 % of the batched / pipelined pop floor (prefetch {_options.PrefetchLabel})", Percent(noRecord, popFloor), Ge(noRecord, popFloor, 0.5),
                $"Mrq {N0(noRecord)} jobs/s vs floor {N0(popFloor)} members/s (best of LPOP key {RedisBaseline.PopBatch} {N0(M("Baseline", "redis", "lpop-count"))}, pipelined {N0(M("Baseline", "redis", "lpop-pipelined"))}); " +
                $"tuned prefetch {_options.TunedPrefetch}: {Percent(M("Mrq", "redis", "dequeue" + Workloads.MrqWorkloads.TunedSuffix, _plan.NoOpJobs("redis"), 8), popFloor)}"));
        }

        if (BullMqTarget() is { } bullmq)
        {
            targets.Add(bullmq);
        }

        if (PythonMrqTarget() is { } pythonMrq)
        {
            targets.Add(pythonMrq);
        }

        var stored = M("Mrq", "redis-stored", "dequeue", _plan.NoOpJobs("redis-stored"), 8);
        var hfRedis = M("Hangfire", "redis", "dequeue", null, 8);
        if (stored is not null)
        {
            targets.Add(new Target($"Redis raw queue, jobs stored in Mongo ({_servers.MongoLabel}): ≥ 5× Hangfire + Redis (W = 8)", Ratio(stored, hfRedis), Ge(stored, hfRedis, 5),
                $"Mrq {N0(stored)} vs Hangfire {N0(hfRedis)} jobs/s; both write a job record per job"));
        }

        foreach (var backend in new[] { "litedb", "inmemory", "redis", "mongo" })
        {
            var p50 = M("Mrq", backend, "latency-idle-p50");
            var p99 = M("Mrq", backend, "latency-idle-p99");
            if (p50 is null)
            {
                continue;
            }

            // Issue 13 sets p99 ≤ 2 ms for the embedded storages; the distributed ones keep the looser goal of the first benchmarks.
            var embedded = backend is "litedb" or "inmemory";
            targets.Add(embedded
                ? new Target($"{ShortLabel("Mrq", backend)} (embedded): idle enqueue→start p99 ≤ 2 ms", $"p99 {N2(p99)} ms", p99 <= 2,
                    $"p50 {N2(p50)} ms, p95 {N2(M("Mrq", backend, "latency-idle-p95"))} ms")
                : new Target($"{ShortLabel("Mrq", backend)}: idle enqueue→start p50 < 2 ms, p99 < 10 ms", $"p50 {N2(p50)} ms, p99 {N2(p99)} ms",
                    p50 < 2 && p99 < 10, $"p95 {N2(M("Mrq", backend, "latency-idle-p95"))} ms"));
        }

        targets.AddRange(OpenLoopTargets());
        foreach (var backend in new[] { "litedb", "inmemory" })
        {
            var small = ScaleRate(backend, 10_000);
            var large = ScaleRate(backend, 1_000_000);
            if (small is null || large is null)
            {
                continue;
            }

            var smallMetric = ScaleMetrics(backend, 10_000).Dequeue;
            var largeMetric = ScaleMetrics(backend, 1_000_000).Dequeue;
            var wsSmall = _results.Median("Mrq", backend, smallMetric, m => m.PeakWorkingSet, 10_000, 8);
            var wsLarge = _results.Median("Mrq", backend, largeMetric, m => m.PeakWorkingSet, 1_000_000, 8);
            targets.Add(new Target($"{ShortLabel("Mrq", backend)}: 1M queued ≥ 70 % of the 10k throughput", Percent(large, small), Ge(large, small, 0.7),
                $"{N0(large)} jobs/s (first {_plan.ScaleProcessed(1_000_000):N0} of 1,000,000 queued) vs {N0(small)} jobs/s (10,000 queued)"));
            var flatNote = backend == "inmemory" ? " (the in-memory storage holds every job in memory by design: not expected flat)" : "";
            targets.Add(new Target($"{ShortLabel("Mrq", backend)}: memory flat in N (processing peak working set at 1M ≤ 1.5 × at 10k)" + flatNote,
                $"{Mib(wsLarge)} vs {Mib(wsSmall)}", backend == "inmemory" ? null : Ge(wsSmall, wsLarge, 1 / 1.5),
                $"managed heap peak {Mib(_results.Median("Mrq", backend, largeMetric, m => m.PeakManaged, 1_000_000, 8))} vs {Mib(_results.Median("Mrq", backend, smallMetric, m => m.PeakManaged, 10_000, 8))}; enqueue peak working set at 1M {Mib(_results.Median("Mrq", backend, ScaleMetrics(backend, 1_000_000).Enqueue, m => m.PeakWorkingSet, 1_000_000, 8))}"));
        }

        return targets;
    }

    /// <summary>A short text of the targets and the main medians, printed at the end of the run.</summary>
    public string SummaryText()
    {
        var text = new StringBuilder();
        text.AppendLine("Targets:");
        foreach (var target in Targets())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  [{Verdict(target.Met)}] {target.Goal}: {target.Measured} ({target.Detail})");
        }

        if (_recorder.Failures.Count > 0)
        {
            text.AppendLine("Failures:");
            foreach (var failure in _recorder.Failures)
            {
                text.AppendLine("  " + failure);
            }
        }

        return text.ToString();
    }

    /// <summary>Half of the lower end of the GC pause share measured on the LiteDB path when issue 13 was filed (27–32 %).</summary>
    private const double GcPauseGoal = 0.135;

    internal static string Verdict(bool? met) => met switch { true => "met", false => "MISSED", null => "n/a" };

    private static bool? Ge(double? a, double? b, double factor) => a is { } x && b is { } y ? x >= y * factor : null;

    private static string Mib(double? bytes) => bytes is { } b ? (b / 1024 / 1024).ToString("N0", CultureInfo.InvariantCulture) + " MiB" : "–";
}
