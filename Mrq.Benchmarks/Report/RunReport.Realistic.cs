using System.Globalization;
using System.Text;
using Mrq.Benchmarks.Workloads;

namespace Mrq.Benchmarks.Report;

/// <summary>The realistic job's table.</summary>
internal sealed partial class RunReport
{
    private void Realistic(StringBuilder md)
    {
        var backends = MrqBackends.Where(b => _results.Find("Mrq", b, "real-dequeue").Count > 0).ToArray();
        if (backends.Length == 0)
        {
            return;
        }

        var ceiling = _machine.Cores * 1000.0;
        md.AppendLine("## A realistic job");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"`bench.real`: typed params of about 1 KB (an order: customer and four lines), one log line stored with the job, about 1 ms of CPU (hashing until a millisecond " +
            $"has passed), a result of about 1 KB; one job in {RealisticTask.FailEvery} throws, so its traceback is stored. N jobs queued in batches of 1000, then a worker " +
            $"with W = 8 until every outcome and log line is saved; each run checks the success and failed counts. CPU ceiling = {_machine.Cores} cores ÷ 1 ms = " +
            $"{ceiling:N0} jobs/s for the task bodies alone, before any queue work.");
        md.AppendLine();
        md.AppendLine("| system | N | W | enqueue jobs/s | dequeue jobs/s | end to end jobs/s | dequeue ÷ CPU ceiling | alloc B/job | GC pause | CPU % (+ servers) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var backend in backends)
        {
            var n = _plan.RealisticJobs(backend);
            var pause = _results.Median("Mrq", backend, "real-e2e", m => m.GcPauseShare, n, 8);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {ShortLabel("Mrq", backend)} | {n:N0} | 8 | {N0(M("Mrq", backend, "real-enqueue", n, 8))} | {MedianRange("Mrq", backend, "real-dequeue", n, 8)} | " +
                $"{MedianRange("Mrq", backend, "real-e2e", n, 8)} | {Percent(M("Mrq", backend, "real-dequeue", n, 8), ceiling)} | " +
                $"{N0(_results.Median("Mrq", backend, "real-e2e", m => m.AllocatedPerJob, n, 8))} | {(pause is { } p ? (p * 100).ToString("N0", CultureInfo.InvariantCulture) + " %" : "–")} | " +
                $"{Cpu("Mrq", backend, "real-dequeue", n, 8)} |");
        }

        md.AppendLine();
    }
}
