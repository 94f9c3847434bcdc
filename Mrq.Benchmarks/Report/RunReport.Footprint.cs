using System.Globalization;
using System.Text;

namespace Mrq.Benchmarks.Report;

/// <summary>Bytes per queued job, CPU per job, and the LiteDB file's open time after a crash.</summary>
internal sealed partial class RunReport
{
    private void Footprint(StringBuilder md)
    {
        var backends = MrqBackends.Where(b => _results.Find("Mrq", b, "bytes-managed").Count > 0).ToArray();
        if (backends.Length == 0)
        {
            return;
        }

        md.AppendLine("## Cost per job: bytes at rest, CPU per job, opening after a crash");
        md.AppendLine();
        var jobs = _plan.FootprintJobs.ToString("N0", CultureInfo.InvariantCulture);
        md.AppendLine(
            $"Bytes: {jobs} no-op jobs queued in batches of 1000, nothing running (one run): the LiteDB data and log files, the managed heap after a " +
            "full GC (the in-memory storage keeps its jobs there), Redis's `used_memory` (raw queue members). CPU per job: this process's CPU time (and the servers') " +
            "over the W = 8 dequeue phase, divided by N.");
        md.AppendLine();
        md.AppendLine("| system | file B/job | managed heap B/job | Redis B/job | CPU µs/job, dequeue W = 8 (+ servers) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var backend in backends)
        {
            var n = _plan.NoOpJobs(backend);
            var runs = _results.Find("Mrq", backend, "dequeue", n, 8);
            var self = ResultSetMedian(runs.Select(m => m.Cpu.Self / 100 * m.Seconds * 1e6 / m.N));
            var servers = ResultSetMedian(runs.Select(m => m.Cpu.Servers / 100 * m.Seconds * 1e6 / m.N));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {ShortLabel("Mrq", backend)} | {N0(M("Mrq", backend, "bytes-file"))} | {N0(M("Mrq", backend, "bytes-managed"))} | {N0(M("Mrq", backend, "bytes-redis"))} | " +
                $"{N0(self)}{(servers is > 1 ? $" (+{N0(servers)})" : "")} |");
        }

        md.AppendLine();
        var open = _results.Find("Mrq", "litedb", "recovery-open");
        if (open.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"**Opening a LiteDB file after a crash**: {_plan.RecoveryJobs:N0} queued jobs; the data and log files copied while the engine held them, after its last commit " +
                $"(what a kill -9 leaves), then opened by a new engine ({open[0].Note}): storage ready in {N0(M("Mrq", "litedb", "recovery-open"))} ms, first job body " +
                $"{N0(M("Mrq", "litedb", "recovery-first-job"))} ms after the open began.");
            md.AppendLine();
        }
    }

    private static double? ResultSetMedian(IEnumerable<double> values) => Benchmarks.Runner.ResultSet.Median(values);
}
