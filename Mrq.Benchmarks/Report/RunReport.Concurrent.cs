using System.Globalization;
using System.Text;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Report;

/// <summary>The concurrent workloads: closed-loop producers beside a worker, and open-loop load with latency percentiles.</summary>
internal sealed partial class RunReport
{
    private void Concurrent(StringBuilder md)
    {
        var backends = MrqBackends.Where(b => _results.All.Any(m => m.System == "Mrq" && m.Backend == b && m.Metric.StartsWith("producers-", StringComparison.Ordinal))).ToArray();
        if (backends.Length == 0)
        {
            return;
        }

        md.AppendLine("## Concurrent: producers and a worker at the same time (W = 8, prefetch as in the Summary)");
        md.AppendLine();
        var seconds = _plan.ConcurrentSeconds.ToString("N0", CultureInfo.InvariantCulture);
        md.AppendLine(
            $"**Closed loop**: P tasks each call `QueueJobAsync` (raw queues: a one-member `QueueRawJobsAsync`) one job at a time for {seconds} s while the worker runs; " +
            "the run ends when every queued job has run. Sustained = jobs ÷ (window + drain). The first P's sustained rate is the maximum the open-loop loads are taken from.");
        md.AppendLine();
        md.AppendLine("| system | producers | jobs | enqueue jobs/s (window) | sustained end to end jobs/s | CPU % (+ servers) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var backend in backends)
        {
            foreach (var producers in _plan.ProducerCounts)
            {
                var metric = string.Create(CultureInfo.InvariantCulture, $"producers-{producers}");
                var found = _results.Find("Mrq", backend, metric + "-e2e");
                if (found.Count == 0)
                {
                    continue;
                }

                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ShortLabel("Mrq", backend)} | {producers} | {N0(ResultSet.Median(found.Select(m => (double)m.N)))} | {MedianRange("Mrq", backend, metric + "-enqueue")} | " +
                    $"{MedianRange("Mrq", backend, metric + "-e2e")} | {AnyNCpu(backend, metric + "-e2e")} |");
            }
        }

        md.AppendLine();
        md.AppendLine(
            $"**Open loop**: job k is due at start + k ÷ rate and carries that time; each due `QueueJobAsync` is fired without waiting for earlier ones, for {seconds} s. " +
            "Start = scheduled time → task body start (every job); finish = scheduled time → `WaitAsync` saw the outcome stored (one job in ten; regular queues only, " +
            "raw enqueues return no id). A backlog or a slow enqueue counts as latency (no coordinated omission). Milliseconds, median of the repetitions' percentiles. " +
            "The dispatcher is a dedicated thread that wakes every ~1 ms (`Thread.Sleep(1)`) and fires the jobs due by then; its own lateness (p50 ≈ 0.5 ms, " +
            "p99 ≈ 1.1 ms on a quiet machine; per run in the CSV notes) is part of every figure. Runs before 2026-12-07 paced it with `Task.Delay(1)`, which " +
            "on this kernel wakes only every ~4 ms (.NET's timer queue runs on a coarse clock) and added up to 4 ms of the harness's own to each latency.");
        md.AppendLine();
        md.AppendLine("| system | load | offered jobs/s | achieved jobs/s | start p50 / p99 / p99.9 ms | finish p50 / p99 / p99.9 ms |");
        md.AppendLine("| --- | ---: | ---: | ---: | --- | --- |");
        foreach (var backend in backends)
        {
            foreach (var percent in _plan.OpenLoopPercents)
            {
                var prefix = string.Create(CultureInfo.InvariantCulture, $"open-{percent}");
                var runs = _results.Find("Mrq", backend, prefix + "-jobs/s");
                if (runs.Count == 0)
                {
                    continue;
                }

                var offered = ResultSet.Median(runs.Select(m => m.N / _plan.ConcurrentSeconds));
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ShortLabel("Mrq", backend)} | {percent} % | {N0(offered)} | {MedianRange("Mrq", backend, prefix + "-jobs/s")} | " +
                    $"{N2(M("Mrq", backend, prefix + "-start-p50"))} / {N2(M("Mrq", backend, prefix + "-start-p99"))} / {N2(M("Mrq", backend, prefix + "-start-p999"))} | " +
                    $"{N2(M("Mrq", backend, prefix + "-finish-p50"))} / {N2(M("Mrq", backend, prefix + "-finish-p99"))} / {N2(M("Mrq", backend, prefix + "-finish-p999"))} |");
            }
        }

        md.AppendLine();
    }

    private void ScaleOut(StringBuilder md)
    {
        var backends = MrqBackends.Where(b => _results.Find("Mrq", b, "scaleout-1").Count > 0).ToArray();
        if (backends.Length == 0)
        {
            return;
        }

        md.AppendLine("## Scale-out: worker processes on one queue (W = 8 each)");
        md.AppendLine();
        md.AppendLine("N no-op jobs queued, then P worker processes (`Mrq.Benchmarks peer-mrq-worker`) open the queue, and all start together once every " +
            "one is ready. Throughput = N ÷ (last job seen by any process − first job seen by any), so process start-up is left out. All processes and " +
            "the servers share this machine's cores: on 2 cores more processes mostly add contention; the figure to read is whether the total holds up.");
        md.AppendLine();
        md.AppendLine("| system | N | processes | jobs/s, median (min–max) | vs 1 process | jobs per process (last rep) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var backend in backends)
        {
            var one = M("Mrq", backend, "scaleout-1");
            foreach (var processes in _plan.ScaleOutProcesses)
            {
                var metric = string.Create(CultureInfo.InvariantCulture, $"scaleout-{processes}");
                var runs = _results.Find("Mrq", backend, metric);
                if (runs.Count == 0)
                {
                    continue;
                }

                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ShortLabel("Mrq", backend)} | {runs[0].N:N0} | {processes} | {MedianRange("Mrq", backend, metric)} | {Percent(M("Mrq", backend, metric), one)} | {runs[^1].Note} |");
            }
        }

        md.AppendLine();
    }

    /// <summary>CPU of a metric whose N differs between repetitions (jobs queued in a time window).</summary>
    private string AnyNCpu(string backend, string metric)
    {
        var self = _results.Median("Mrq", backend, metric, m => m.Cpu.Self);
        var servers = _results.Median("Mrq", backend, metric, m => m.Cpu.Servers);
        return servers is > 1 ? $"{N0(self)} (+{N0(servers)})" : N0(self);
    }

    /// <summary>The busy-latency targets: embedded backends at 50 % of their sustained maximum, open loop.</summary>
    private IEnumerable<Target> OpenLoopTargets()
    {
        foreach (var backend in new[] { "litedb", "inmemory" })
        {
            var p99 = M("Mrq", backend, "open-50-start-p99");
            if (p99 is null)
            {
                continue;
            }

            yield return new Target($"{ShortLabel("Mrq", backend)}: at 50 % load (open loop) enqueue→start p99 ≤ 10 ms", $"p99 {N2(p99)} ms", p99 <= 10,
                $"p50 {N2(M("Mrq", backend, "open-50-start-p50"))} ms, p99.9 {N2(M("Mrq", backend, "open-50-start-p999"))} ms; finish p99 {N2(M("Mrq", backend, "open-50-finish-p99"))} ms");
        }
    }
}
