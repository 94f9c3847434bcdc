using System.Globalization;
using System.Text;
using Mrq.Benchmarks.Peers;

namespace Mrq.Benchmarks.Report;

/// <summary>Python MRQ, the system Mrq re-implements, on the same servers as Mrq's regular-queue rows.</summary>
internal sealed partial class RunReport
{
    private bool HasPythonMrq => _results.Find("PythonMRQ", "mongo", "dequeue").Count > 0;

    private void PythonMrq(StringBuilder md)
    {
        if (!HasPythonMrq)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"## Python MRQ on the same Redis and Mongo server ({_servers.MongoLabel})");
        md.AppendLine();
        md.AppendLine("The same jobs, queue type and servers as Mrq's regular-queue (Mongo + Redis) rows: N no-op jobs queued in batches of 1000, then " +
            "MRQ's own worker with W greenlets until every job is stored `success`. Python MRQ's dequeue time runs from its first job's `datestarted` " +
            "to its last `dateupdated` (leaving out the Python process's start-up, given in the CSV note); Mrq's from the worker's start to its last saved " +
            "outcome. A fresh Python process per repetition and W. Mrq ÷ MRQ compares the dequeue medians at the same N and W.");
        md.AppendLine();
        md.AppendLine("| system | N | W | enqueue jobs/s (batches of 1000) | dequeue jobs/s | end to end jobs/s | worker CPU % | Mrq dequeue jobs/s (same N, W) | Mrq ÷ MRQ |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var w in _plan.PythonMrqWorkers)
        {
            var n = _plan.NoOpJobs("mongo", w);
            var python = M("PythonMRQ", "mongo", "dequeue", n, w);
            var mrq = M("Mrq", "mongo", "dequeue", n, w);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| Python MRQ | {n:N0} | {w} | {N0(M("PythonMRQ", "mongo", "enqueue-batched", n, w))} | {MedianRange("PythonMRQ", "mongo", "dequeue", n, w)} | " +
                $"{MedianRange("PythonMRQ", "mongo", "e2e", n, w)} | {N0(_results.Median("PythonMRQ", "mongo", "dequeue", m => m.Cpu.Self, n, w))} | {N0(mrq)} | {Ratio(mrq, python)} |");
        }

        md.AppendLine();
        md.AppendLine("**Python MRQ**: " + PythonMrqRunner.Configuration);
        md.AppendLine();
    }

    /// <summary>The Python MRQ target: Mrq's stored distributed path against MRQ's own worker, W = 8.</summary>
    private Target? PythonMrqTarget()
    {
        var n = _plan.NoOpJobs("mongo");
        var mrq = M("Mrq", "mongo", "dequeue", n, 8);
        var python = M("PythonMRQ", "mongo", "dequeue", n, 8);
        return mrq is null || python is null
            ? null
            : new Target($"distributed stored path (regular queue, Mongo + Redis, {_servers.MongoLabel}): ≥ 10× Python MRQ on the same servers and jobs (W = 8, N = {n:N0})",
                Ratio(mrq, python), Ge(mrq, python, 10),
                $"Mrq {MedianRange("Mrq", "mongo", "dequeue", n, 8)} vs Python MRQ {MedianRange("PythonMRQ", "mongo", "dequeue", n, 8)} jobs/s");
    }
}
