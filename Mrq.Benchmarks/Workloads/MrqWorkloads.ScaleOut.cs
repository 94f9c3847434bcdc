using System.Diagnostics;
using System.Globalization;
using Mrq.Benchmarks.Peers;
using Mrq.Benchmarks.Runner;
using Mrq.Jobs;

namespace Mrq.Benchmarks.Workloads;

/// <summary>Scale-out (issue 13 item 3 e): P worker processes on one queue.</summary>
internal sealed partial class MrqWorkloads
{
    /// <summary>
    /// N no-op jobs queued, then <paramref name="processes"/> worker processes (W = 8 each, <c>peer-mrq-worker</c>)
    /// started on the same queue; once every one is ready, all start together. Throughput = N ÷ (last job seen by any
    /// process − first job seen by any), so process start-up is left out. The run checks that the processes ran N jobs
    /// in all and, where statuses are stored, that N are stored <c>success</c>.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> ScaleOutAsync(string backend, int processes, int rep)
    {
        var n = _plan.NoOpJobs(backend);
        return _recorder.MeasureAsync($"{backend} scale-out {processes} processes N={n}", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, 8, 0, null).ConfigureAwait(false);
            await host.EnqueueAsync("noop", n, batched: true).ConfigureAwait(false);
            var (fileName, prefix) = FreshProcess.Self();
            var children = new List<Process>();
            try
            {
                for (var i = 0; i < processes; i++)
                {
                    var start = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
                    foreach (var argument in prefix.Concat(["peer-mrq-worker", backend, host.Tag, "8"]).Concat(_env.Options.Arguments).Concat(["--temp", _env.Options.TempDirectory]))
                    {
                        start.ArgumentList.Add(argument);
                    }

                    children.Add(Process.Start(start)!);
                }

                foreach (var child in children)
                {
                    var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
                    if (line != "READY")
                    {
                        throw new InvalidOperationException($"a scale-out worker process did not start: '{line}'");
                    }
                }

                SectionStats stats;
                using (var section = TimedSection.Start(_recorder.Cpu))
                {
                    foreach (var child in children)
                    {
                        await child.StandardInput.WriteLineAsync("GO").ConfigureAwait(false);
                        await child.StandardInput.FlushAsync().ConfigureAwait(false);
                    }

                    await WaitForAsync(() => DoneAsync(host, n), TimeSpan.FromMinutes(5)).ConfigureAwait(false);

                    stats = section.Stop();
                }

                var reports = new List<(long Ran, long First, long Last)>();
                foreach (var child in children)
                {
                    child.StandardInput.Close();
                    var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
                    var parts = line?.Split(' ') ?? [];
                    if (parts.Length != 4 || parts[0] != "RAN")
                    {
                        throw new InvalidOperationException($"a scale-out worker process reported '{line}'");
                    }

                    reports.Add((long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture)));
                }

                var ran = reports.Sum(r => r.Ran);
                var first = reports.Where(r => r.First > 0).Min(r => r.First);
                var last = reports.Max(r => r.Last);
                var seconds = Math.Max(TimeSpan.FromTicks(last - first).TotalSeconds, 0.001);
                var problems = new List<string>();
                if (ran != n)
                {
                    problems.Add($"UNEXPECTED: the processes ran {ran} of {n} jobs");
                }

                if (host.Backend != "redis" && await host.CountAsync(JobStatus.Success).ConfigureAwait(false) != n)
                {
                    problems.Add("INCOMPLETE: not every job stored success");
                }

                var note = string.Join("; ", problems.Prepend("jobs per process " + string.Join("/", reports.Select(r => r.Ran.ToString(CultureInfo.InvariantCulture)))));
                return [stats.Into(Mrq(backend, string.Create(CultureInfo.InvariantCulture, $"scaleout-{processes}"), n, 8, rep, n / seconds, "jobs/s"), n) with { Seconds = seconds, Note = note }];
            }
            finally
            {
                foreach (var child in children)
                {
                    if (!child.WaitForExit(TimeSpan.FromSeconds(30)))
                    {
                        child.Kill(entireProcessTree: true);
                    }

                    child.Dispose();
                }
            }
        });
    }

    /// <summary>Raw queue empty (no-record path: in-flight jobs finish on the graceful stop), else N stored success.</summary>
    private static async Task<bool> DoneAsync(BenchHost host, int n) => host.Backend == "redis"
        ? await host.Client.GetQueueSizeAsync(host.Queue).ConfigureAwait(false) == 0
        : await host.CountAsync(JobStatus.Success).ConfigureAwait(false) >= n;
}
