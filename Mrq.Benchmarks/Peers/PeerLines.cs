using System.Text.Json;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Peers;

/// <summary>
/// Reads the measurement lines the non-.NET peers print (tools/bench-peers: BullMQ's bench.mjs, Python MRQ's bench.py):
/// <c>{metric, n, w, value, seconds, cpuSelfPercent, peakRss?, firstJobMs?, note}</c>, and a last <c>process-cpu</c>
/// line with the CPU seconds of the peer's processes, which is taken out of the machine's "others" share.
/// </summary>
internal static class PeerLines
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The measurements of one child run, as <paramref name="system"/> / <paramref name="backend"/> rows.</summary>
    public static List<Measurement> Measurements(ChildRun run, string system, string backend, int rep)
    {
        var lines = run.Lines.Select(line => JsonSerializer.Deserialize<PeerLine>(line, s_json)
            ?? throw new FormatException($"an empty {system} measurement line")).ToArray();
        var process = lines.SingleOrDefault(l => l.Metric == "process-cpu")
            ?? throw new InvalidOperationException($"the {system} child printed no process-cpu line");
        // The machine's "others" over the child's life include the child itself: take its own CPU out.
        var childPercent = run.WallSeconds > 0 ? 100 * process.Value / run.WallSeconds : 0;
        var others = Math.Max(0, run.Machine.Others - childPercent);
        var measured = lines.Where(l => l.Metric != "process-cpu").Select(l => new Measurement
        {
            System = system,
            Backend = backend,
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
        return measured.Count > 0 ? measured : throw new InvalidOperationException($"the {system} child printed no measurement");
    }

    /// <summary>One printed line.</summary>
    private sealed record PeerLine(string Metric, int N, int W, double Value, double Seconds, double CpuSelfPercent, long? PeakRss, double? FirstJobMs, string? Note);
}
