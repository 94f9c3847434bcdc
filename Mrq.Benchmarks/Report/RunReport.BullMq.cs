using System.Globalization;
using System.Text;
using Mrq.Benchmarks.Peers;

namespace Mrq.Benchmarks.Report;

/// <summary>BullMQ, the node peer on the same Redis: its table and what it is compared with.</summary>
internal sealed partial class RunReport
{
    private static readonly string[] s_bullMqOrder = ["remove", "keep"];

    /// <summary>BullMQ configurations present in the results.</summary>
    internal IReadOnlyList<string> BullMqConfigurations =>
        s_bullMqOrder.Where(c => _results.Find("BullMQ", c, "dequeue").Count > 0).ToArray();

    /// <summary>
    /// The Mrq row a BullMQ configuration is compared with, when the work is alike: removeOnComplete keeps no job
    /// record, like the no-record raw path. BullMQ's defaults keep every job in Redis, while Mrq's stored path writes
    /// to the MongoDB-wire emulator at a much smaller N here: no like-for-like Mrq row, so no ratio.
    /// </summary>
    internal static string? MrqRowOf(string configuration) => configuration == "remove" ? "redis" : null;

    private void BullMq(StringBuilder md)
    {
        if (BullMqConfigurations.Count == 0)
        {
            return;
        }

        md.AppendLine("## BullMQ on the same Redis (a fresh node process per run)");
        md.AppendLine();
        md.AppendLine("The same workload as Mrq's dequeue rows: N no-op jobs added in batches of 1000, then a worker with concurrency W timed from its " +
            "construction until N jobs completed; end to end = N ÷ (add time + processing time), never overlapped. One node process per repetition " +
            "and W, with an untimed warm-up of N/10 jobs first. Mrq ÷ BullMQ compares the dequeue medians at the same N and W; Mrq at its default " +
            "prefetch, and tuned where that row was run.");
        md.AppendLine();
        md.AppendLine("| BullMQ configuration | N | W | add jobs/s (single / batches of 1000) | dequeue jobs/s | end to end jobs/s | first job ms | CPU % | Mrq row compared | Mrq dequeue jobs/s | Mrq ÷ BullMQ |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        foreach (var configuration in BullMqConfigurations)
        {
            var mrq = MrqRowOf(configuration);
            foreach (var w in _plan.NoOpWorkers)
            {
                var n = _plan.NoOpJobs("redis", w);
                var dequeue = M("BullMQ", configuration, "dequeue", n, w);
                var mrqDequeue = mrq is null ? null : M("Mrq", mrq, "dequeue", n, w);
                var single = w == 8 ? N0(M("BullMQ", configuration, "enqueue-single")) : "–";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {BullMqRunner.Label(configuration)} | {n:N0} | {w} | {single} / {N0(M("BullMQ", configuration, "enqueue-batched", n, w))} | " +
                    $"{MedianRange("BullMQ", configuration, "dequeue", n, w)} | {MedianRange("BullMQ", configuration, "e2e", n, w)} | " +
                    $"{N1(_results.Median("BullMQ", configuration, "dequeue", m => m.FirstJobMs, n, w))} | {Cpu("BullMQ", configuration, "dequeue", n, w)} | " +
                    $"{(mrq is null ? "none alike: Mrq's stored path writes to Mongo (" + _servers.MongoLabel + ")" : ShortLabel("Mrq", mrq))} | {N0(mrqDequeue)} | {Ratio(mrqDequeue, dequeue)} |");
                if (mrq is not null && w == 8 && M("Mrq", mrq, "dequeue" + Workloads.MrqWorkloads.TunedSuffix, n, w) is { } tuned)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {BullMqRunner.Label(configuration)} | {n:N0} | {w} | (same) | (same) | (same) | | | {ShortLabel("Mrq", mrq)}, tuned prefetch {TunedPrefetch} | {N0(tuned)} | {Ratio(tuned, dequeue)} |");
                }
            }
        }

        md.AppendLine();
        md.AppendLine("**BullMQ**: " + BullMqRunner.Configuration);
        md.AppendLine();
    }

    /// <summary>The BullMQ target: the no-record raw path against BullMQ with removeOnComplete, W = 8.</summary>
    private Target? BullMqTarget()
    {
        var n = _plan.NoOpJobs("redis");
        var mrq = M("Mrq", "redis", "dequeue", n, 8);
        var bullmq = M("BullMQ", "remove", "dequeue", n, 8);
        return mrq is null || bullmq is null
            ? null
            : new Target($"Redis raw queue, no job record: ≥ 3× BullMQ with removeOnComplete (W = 8, N = {n:N0}, prefetch {_options.PrefetchLabel}; BullMQ in a fresh node process)",
                Ratio(mrq, bullmq), Ge(mrq, bullmq, 3),
                $"Mrq {N0(mrq)} vs BullMQ {MedianRange("BullMQ", "remove", "dequeue", n, 8)} jobs/s; tuned prefetch {_options.TunedPrefetch}: {Ratio(M("Mrq", "redis", "dequeue" + Workloads.MrqWorkloads.TunedSuffix, n, 8), bullmq)}");
    }
}
