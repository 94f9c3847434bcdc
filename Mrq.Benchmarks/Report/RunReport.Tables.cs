using Mrq.Benchmarks.Baselines;
using System.Globalization;
using System.Text;

namespace Mrq.Benchmarks.Report;

/// <summary>The detailed tables: enqueue, dequeue, latency, I/O-bound, scale, baselines.</summary>
internal sealed partial class RunReport
{
    private void Enqueue(StringBuilder md)
    {
        md.AppendLine("## Enqueue");
        md.AppendLine();
        md.AppendLine("Single = one `QueueJobAsync` call per job from one task (raw queues: one-member `QueueRawJobsAsync`); Hangfire: one `Enqueue` per job, server not running. " +
            "Batched = `QueueJobsAsync` / `QueueRawJobsAsync` in batches of 1000 (Hangfire has no batch API).");
        md.AppendLine();
        md.AppendLine("| system | N single | single jobs/s | N batched | batched jobs/s | alloc B/job (single) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var backend in MrqBackends)
        {
            var singles = _results.Find("Mrq", backend, "enqueue-single");
            var single = singles.Count > 0 ? singles[0] : null;
            var n = _plan.NoOpJobs(backend);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label("Mrq", backend)} | {(single is null ? "–" : single.N.ToString("N0", s_inv))} | {N0(M("Mrq", backend, "enqueue-single"))} | {n:N0} | {N0(M("Mrq", backend, "enqueue-batched", n, 8))} | " +
                $"{N0(_results.Median("Mrq", backend, "enqueue-single", m => m.AllocatedPerJob))} |");
        }

        foreach (var storage in HangfireStorages)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label("Hangfire", storage)} | {_plan.HangfireJobs(storage):N0} | {N0(M("Hangfire", storage, "enqueue-single"))} | – | – | {N0(_results.Median("Hangfire", storage, "enqueue-single", m => m.AllocatedPerJob))} |");
        }

        md.AppendLine();
    }

    private void Dequeue(StringBuilder md)
    {
        md.AppendLine("## Dequeue and end to end, no-op jobs, by W");
        md.AppendLine();
        md.AppendLine("First job = worker / server start → first job body. Alloc = bytes allocated by the whole process per job during the dequeue phase " +
            "(engine, storage client, task). CPU = % of one core used by the benchmark process (+ the servers) during the dequeue phase.");
        md.AppendLine();
        md.AppendLine("Median (min–max) of the repetitions; end to end = batched enqueue, then dequeue (never overlapped). Prefetch: Mrq's jobs claimed ahead of " +
            "free greenlets (Hangfire fetches one job per worker thread). fsync: see the Summary.");
        md.AppendLine();
        md.AppendLine("| system | prefetch | N | W | dequeue jobs/s | end to end jobs/s | first job ms | alloc B/job | CPU % (+ servers) | vs Hangfire peer (dequeue) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var backend in MrqBackends)
        {
            var peer = PeerOf(backend);
            foreach (var w in _plan.NoOpWorkers)
            {
                DequeueRow(_plan.NoOpJobs(backend, w), w, "");
            }

            if (_results.Find("Mrq", backend, "dequeue" + Workloads.MrqWorkloads.TunedSuffix).Count > 0)
            {
                DequeueRow(_plan.NoOpJobs(backend), 8, Workloads.MrqWorkloads.TunedSuffix);
            }

            void DequeueRow(int n, int w, string suffix)
            {
                var metric = "dequeue" + suffix;
                var dequeue = M("Mrq", backend, metric, n, w);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ShortLabel("Mrq", backend)}{(suffix.Length > 0 ? " (tuned)" : "")} | {PrefetchOf(metric)} | {n:N0} | {w} | {MedianRange("Mrq", backend, metric, n, w)} | {MedianRange("Mrq", backend, "e2e" + suffix, n, w)} | " +
                    $"{N1(_results.Median("Mrq", backend, metric, m => m.FirstJobMs, n, w))} | {N0(_results.Median("Mrq", backend, metric, m => m.AllocatedPerJob, n, w))} | " +
                    $"{Cpu("Mrq", backend, metric, n, w)} | {(peer is null ? "–" : Ratio(dequeue, M("Hangfire", peer, "dequeue", null, w)))} |");
            }
        }

        foreach (var storage in HangfireStorages)
        {
            var n = _plan.HangfireJobs(storage);
            foreach (var w in _plan.NoOpWorkers)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ShortLabel("Hangfire", storage)} | 1 per thread | {n:N0} | {w} | {MedianRange("Hangfire", storage, "dequeue", n, w)} | {MedianRange("Hangfire", storage, "e2e", n, w)} | " +
                    $"{N1(_results.Median("Hangfire", storage, "dequeue", m => m.FirstJobMs, n, w))} | {N0(_results.Median("Hangfire", storage, "dequeue", m => m.AllocatedPerJob, n, w))} | " +
                    $"{Cpu("Hangfire", storage, "dequeue", n, w)} | 1× |");
            }
        }

        md.AppendLine();
        md.AppendLine("\\* Mongo figures come from the MongoDB-wire emulator when the Versions table says so: it scans the whole collection for every query, so N is kept small there.");
        md.AppendLine();
    }

    private string Cpu(string system, string backend, string metric, int n, int w)
    {
        var self = _results.Median(system, backend, metric, m => m.Cpu.Self, n, w);
        var servers = _results.Median(system, backend, metric, m => m.Cpu.Servers, n, w);
        return servers is > 1 ? $"{N0(self)} (+{N0(servers)})" : N0(self);
    }

    private void Latency(StringBuilder md)
    {
        md.AppendLine("## Enqueue → start latency (HdrHistogram)");
        md.AppendLine();
        md.AppendLine("From just before the enqueue call to the start of the job body, W = 8. Idle: one probe at a time, 1–5 ms pause after each start " +
            "(the worker is back waiting on its notifier). Busy: the same probes while a producer feeds no-op jobs to the same queue at half the " +
            "backend's measured W = 8 dequeue rate (at the runner's default prefetch), capped at 20,000 jobs/s — so under 50 % of capacity where the " +
            "rate is higher; the busy load column gives the rate used. Probes are closed-loop (each waits for the previous one), which understates " +
            "tails under load. Hangfire: idle only, fewer probes (see the probes column); Hangfire + SQLite has no wake-up and polls every 100 ms, " +
            "so its latency is that poll interval, not its storage's speed.");
        md.AppendLine();
        md.AppendLine("| system | probes | idle p50 ms | idle p95 ms | idle p99 ms | busy p50 ms | busy p95 ms | busy p99 ms | busy load |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (system, backend) in MrqBackends.Where(b => b != "redis-stored").Select(b => ("Mrq", b)).Concat(HangfireStorages.Select(s => ("Hangfire", s))))
        {
            var idle = _results.Find(system, backend, "latency-idle-p50");
            var busy = _results.Find(system, backend, "latency-busy-p50");
            int? probes = idle.Count > 0 ? idle[0].N : null;
            var load = busy.Count > 0 ? busy[0].Note : "";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {ShortLabel(system, backend)} | {probes?.ToString("N0", s_inv) ?? "–"} | {N2(M(system, backend, "latency-idle-p50"))} | {N2(M(system, backend, "latency-idle-p95"))} | " +
                $"{N2(M(system, backend, "latency-idle-p99"))} | {N2(M(system, backend, "latency-busy-p50"))} | {N2(M(system, backend, "latency-busy-p95"))} | " +
                $"{N2(M(system, backend, "latency-busy-p99"))} | {load.Replace("background load ", "", StringComparison.Ordinal)} |");
        }

        md.AppendLine();
    }

    private void Io(StringBuilder md)
    {
        md.AppendLine("## 10 ms I/O-bound job (`await Task.Delay(10)`)");
        md.AppendLine();
        md.AppendLine(
            string.Create(CultureInfo.InvariantCulture, $"N = W × {_plan.IoIdealSeconds:N1} s ÷ 10 ms jobs, pre-queued; ") +
            "efficiency = ideal time (N × 10 ms ÷ W) ÷ actual (worker start → every outcome saved). " +
            "Hangfire runs the same async method on its worker threads (Hangfire.InMemory only).");
        md.AppendLine();
        var columns = _plan.IoWorkers;
        md.AppendLine("| system | " + string.Join(" | ", columns.Select(w => $"W = {w}: jobs/s (efficiency)")) + " |");
        md.AppendLine("| --- |" + string.Concat(columns.Select(_ => " ---: |")));
        foreach (var (system, backend) in MrqBackends.Where(b => b != "redis-stored").Select(b => ("Mrq", b)).Concat(HangfireStorages.Select(s => ("Hangfire", s))))
        {
            if (_results.Find(system, backend, "io-efficiency").Count == 0)
            {
                continue;
            }

            md.AppendLine($"| {ShortLabel(system, backend)} | " + string.Join(" | ", columns.Select(w =>
                $"{N0(M(system, backend, "io-jobs/s", null, w))} ({N0(M(system, backend, "io-efficiency", null, w))} %)")) + " |");
        }

        md.AppendLine();
    }

    private void Scale(StringBuilder md)
    {
        md.AppendLine("## Scale: queue depth N, W = 8");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"N jobs queued (`QueueJobsAsync`, batches of 1000), then a worker processes the first {_plan.ScaleProcessed(1_000_000):N0} ") +
            "of them (all of a smaller queue), so the queue stays deep while it is timed; the 1,000,000 case runs once. Working set and managed heap sampled every 20 ms: " +
            "enqueue peak = while the N jobs were inserted (the client also returns N ids), dequeue peak = while the worker processed (after a full GC). " +
            "The in-memory storage keeps every job in memory by design.");
        md.AppendLine();
        md.AppendLine("| system | N queued | processed | dequeue jobs/s | vs smallest N | start WS | peak WS enqueue | peak WS dequeue | peak managed dequeue |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var backend in MrqBackends)
        {
            var sizes = _plan.ScaleSizes(backend);
            if (sizes.Count == 0)
            {
                continue;
            }

            var smallest = ScaleRate(backend, sizes[0]);
            foreach (var n in sizes)
            {
                var rate = ScaleRate(backend, n);
                if (rate is null)
                {
                    continue;
                }

                var (dequeueMetric, enqueueMetric) = ScaleMetrics(backend, n);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ShortLabel("Mrq", backend)} | {n:N0} | {_plan.ScaleProcessed(n):N0} | {N0(rate)} | {Percent(rate, smallest)} | {MibOf(enqueueMetric, backend, n, m => m.StartWorkingSet)} | " +
                    $"{MibOf(enqueueMetric, backend, n, m => m.PeakWorkingSet)} | {MibOf(dequeueMetric, backend, n, m => m.PeakWorkingSet)} | {MibOf(dequeueMetric, backend, n, m => m.PeakManaged)} |");
            }
        }

        md.AppendLine();
    }

    /// <summary>The metrics a scale size was recorded under: a full dequeue when all N were processed, else the scale ones.</summary>
    internal (string Dequeue, string Enqueue) ScaleMetrics(string backend, int n) =>
        _results.Find("Mrq", backend, "scale-dequeue", n, 8).Count > 0 ? ("scale-dequeue", "scale-enqueue") : ("dequeue", "enqueue-batched");

    /// <summary>The median dequeue rate of a scale size.</summary>
    internal double? ScaleRate(string backend, int n) => M("Mrq", backend, ScaleMetrics(backend, n).Dequeue, n, 8);

    private string MibOf(string metric, string backend, int n, Func<Benchmarks.Runner.Measurement, double?> selector) =>
        Mib(_results.Median("Mrq", backend, metric, selector, n, 8));

    private void Baselines(StringBuilder md)
    {
        md.AppendLine("## Raw baselines (same run, same disk / server)");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Mrq figures at W = 8 and prefetch {_options.PrefetchLabel} unless the row says tuned. Baseline figures: median (min–max) of the repetitions."));
        md.AppendLine();
        md.AppendLine("| baseline | configuration | N | median (range) | Mrq figure compared | Mrq ÷ baseline |");
        md.AppendLine("| --- | --- | ---: | ---: | --- | ---: |");
        var liteN = _plan.NoOpJobs("litedb");
        var liteWork = "`Connection=direct`, ordinal collation, new file, no fsync; Mrq's job documents (`JobDocuments.ToDocument`) with the status key and its index";
        Row("LiteDB insert", liteWork + $"; inserts in transactions of {LiteDbBaseline.EnqueueBatch}", "litedb", "insert", "jobs/s",
            ("batched enqueue", M("Mrq", "litedb", "enqueue-batched", liteN, 8)));
        Row("LiteDB claim read + update", $"the same file after the inserts: per {LiteDbBaseline.CompleteGroup} jobs one transaction reading the next queued ones by status key and writing each `success` (Mrq's outcome fields, new status key) in one `Update` call", "litedb", "claim-update", "jobs/s",
            ("dequeue", M("Mrq", "litedb", "dequeue", liteN, 8)));
        Row("LiteDB insert + update (1 of each per job)", "N ÷ (insert time + claim-update time): the same work per job as Mrq's end to end, single-threaded, no engine", "litedb", "insert-update", "jobs/s",
            ("end to end", M("Mrq", "litedb", "e2e", liteN, 8)));
        Row("LiteDB insert + update (1 of each per job)", "(same)", "litedb", "insert-update", "jobs/s",
            ($"end to end, tuned prefetch {_options.TunedPrefetch}", M("Mrq", "litedb", "e2e" + Workloads.MrqWorkloads.TunedSuffix, liteN, 8)));
        Row("LiteDB insert + update, fsync per commit", "the same, with an fsync of LiteDB's log file after every commit (Mrq's `FlushToDisk`, its default)", "litedb", "insert-update" + Workloads.MrqWorkloads.FsyncSuffix, "jobs/s",
            ("end to end, fsync on", M("Mrq", "litedb", "e2e" + Workloads.MrqWorkloads.FsyncSuffix, liteN, 8)));
        Row("Redis LPUSH loop", "one connection, one awaited LPUSH after another (one round trip per job)", "redis", "lpush", "ops/s",
            ("single enqueue, raw", M("Mrq", "redis", "enqueue-single")));
        var redisN = _plan.NoOpJobs("redis");
        Row($"Redis `LPOP key {RedisBaseline.PopBatch}` loop", "one connection, one awaited batched pop after another, after an untimed warm-up", "redis", "lpop-count", "members/s",
            ("dequeue, no-record path", M("Mrq", "redis", "dequeue", redisN, 8)));
        Row($"Redis pipelined LPOP", $"{RedisBaseline.PipelinedLoops} concurrent loops of awaited single LPOPs, pipelined on one connection", "redis", "lpop-pipelined", "members/s",
            ("dequeue, no-record path", M("Mrq", "redis", "dequeue", redisN, 8)));
        Row($"Redis `LPOP key {RedisBaseline.PopBatch}` loop", "(same)", "redis", "lpop-count", "members/s",
            ($"dequeue, no-record path, tuned prefetch {_options.TunedPrefetch}", M("Mrq", "redis", "dequeue" + Workloads.MrqWorkloads.TunedSuffix, redisN, 8)));
        Row($"Mongo findOneAndUpdate loop ({_servers.MongoLabel})", "one awaited `findOneAndUpdate({status: queued, queue}, sort datequeued,_id, $set started)` after another", "mongo", "findoneandupdate", "ops/s",
            ("dequeue (claim + complete)", M("Mrq", "mongo", "dequeue", _plan.NoOpJobs("mongo"), 8)));
        md.AppendLine();

        void Row(string name, string configuration, string backend, string metric, string unit, (string What, double? Value) mrq)
        {
            var found = _results.Find("Baseline", backend, metric);
            if (found.Count == 0)
            {
                return;
            }

            var value = M("Baseline", backend, metric);
            if (mrq.Value is null)
            {
                return;
            }

            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {configuration} | {found[0].N:N0} | {MedianRange("Baseline", backend, metric)} {unit} | {mrq.What}: {N0(mrq.Value)} | {Percent(mrq.Value, value)} |");
        }
    }
}
