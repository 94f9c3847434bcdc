using Mrq.Benchmarks.Runner;
using Mrq.Jobs;

namespace Mrq.Benchmarks.Workloads;

/// <summary>The realistic job (issue 13 item 3 b): what a user's job costs, not a no-op.</summary>
internal sealed partial class MrqWorkloads
{
    /// <summary>
    /// N <c>bench.real</c> jobs (~1 KB typed params, one stored log line, ~1 ms CPU, ~1 KB result, 1 % failing with a
    /// stored traceback) queued in batches of 1000 (timed: <c>real-enqueue</c>), then a worker with W greenlets until
    /// every outcome and log line is saved (timed: <c>real-dequeue</c>); <c>real-e2e</c> = N over both. The run is
    /// checked: N − N/100 jobs stored <c>success</c>, N/100 <c>failed</c>.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> RealisticAsync(string backend, int w, int rep)
    {
        var n = _plan.RealisticJobs(backend);
        return _recorder.MeasureAsync($"{backend} realistic N={n} W={w}", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, w, n, null).ConfigureAwait(false);
            SectionStats enqueue;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                await host.EnqueueRealisticAsync(n).ConfigureAwait(false);
                enqueue = section.Stop();
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            SectionStats process;
            WorkerRunResult result;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                result = await host.RunWorkerAsync(n).ConfigureAwait(false);
                process = section.Stop();
            }

            var failing = Enumerable.Range(0, n).Count(RealisticTask.Fails);
            var succeeded = await host.CountAsync(JobStatus.Success).ConfigureAwait(false);
            var failed = await host.CountAsync(JobStatus.Failed).ConfigureAwait(false);
            var note = succeeded == n - failing && failed == failing && !result.Stalled
                ? ""
                : $"UNEXPECTED: {succeeded} success, {failed} failed of {n} (expected {n - failing} and {failing}){(result.Stalled ? "; STALLED" : "")}";
            var whole = enqueue.Elapsed + process.Elapsed;
            return
            [
                enqueue.Into(Mrq(backend, "real-enqueue", n, w, rep, n / enqueue.Elapsed.TotalSeconds, "jobs/s"), n),
                process.Into(Mrq(backend, "real-dequeue", n, w, rep, n / process.Elapsed.TotalSeconds, "jobs/s"), n) with { FirstJobMs = result.FirstJob?.TotalMilliseconds, Note = note },
                process.Into(Mrq(backend, "real-e2e", n, w, rep, n / whole.TotalSeconds, "jobs/s"), n) with
                {
                    Seconds = whole.TotalSeconds,
                    AllocatedPerJob = (double)(enqueue.Allocated + process.Allocated) / n,
                    GcPauseShare = (enqueue.Gc.Pause + process.Gc.Pause) / whole,
                    Note = note,
                },
            ];
        });
    }
}
