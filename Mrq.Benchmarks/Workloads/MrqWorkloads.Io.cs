using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Workloads;

/// <summary>The 10 ms I/O-bound job.</summary>
internal sealed partial class MrqWorkloads
{
    /// <summary>
    /// N = W × ideal ÷ 10 ms jobs that each await <c>Task.Delay(10)</c>, pre-queued, run by a worker with W greenlets.
    /// Efficiency = ideal time (N × 10 ms ÷ W) ÷ actual time, from the worker's start until every outcome is saved.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> IoAsync(string backend, int w, int rep)
    {
        var n = (int)Math.Round(w * _plan.IoIdealSeconds / 0.010);
        var ideal = n * 0.010 / w;
        return _recorder.MeasureAsync($"{backend} io W={w}", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, w, n, null).ConfigureAwait(false);
            await host.EnqueueAsync("io", n, batched: true).ConfigureAwait(false);
            SectionStats stats;
            WorkerRunResult result;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                result = await host.RunWorkerAsync(n).ConfigureAwait(false);
                stats = section.Stop();
            }

            var note = await CheckAsync(host, result, n).ConfigureAwait(false);
            return
            [
                stats.Into(Mrq(backend, "io-jobs/s", n, w, rep, n / stats.Elapsed.TotalSeconds, "jobs/s"), n) with { Note = note },
                stats.Into(Mrq(backend, "io-efficiency", n, w, rep, 100 * ideal / stats.Elapsed.TotalSeconds, "%"), n) with { Note = note },
            ];
        });
    }
}
