using System.Diagnostics;
using System.Globalization;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Workloads;

/// <summary>Enqueue→start latency on an idle and on a busy worker.</summary>
internal sealed partial class MrqWorkloads
{
    private const int LatencyGreenlets = 8;

    /// <summary>
    /// A worker with 8 greenlets runs in the background. <b>Idle</b>: one probe at a time; after each starts, a pause
    /// of 1–5 ms lets the worker fall back to waiting on the notifier. <b>Busy</b>: the same probes while a producer
    /// keeps feeding no-op jobs to the same queue at <paramref name="busyRate"/> jobs/s (half the backend's measured
    /// W = 8 throughput), so probes queue behind real work. Latency = from just before the enqueue call to the
    /// start of the probe's task body.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> LatencyAsync(string backend, int rep, double busyRate)
    {
        var samples = _plan.LatencySamples(backend);
        return _recorder.MeasureAsync($"{backend} latency", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, LatencyGreenlets, 0, null).ConfigureAwait(false);
            await using var worker = host.StartBackgroundWorker();
            await ProbeAsync(host, 5).ConfigureAwait(false); // warm: the worker is up and has claimed once
            host.Probe.TakeLatency();

            SectionStats idleStats;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                await ProbeAsync(host, samples).ConfigureAwait(false);
                idleStats = section.Stop();
            }

            var idle = host.Probe.TakeLatency();
            using var stopLoad = new CancellationTokenSource();
            var load = Task.Run(() => FeedAsync(host, busyRate, stopLoad.Token));
            await Task.Delay(200).ConfigureAwait(false); // let the load settle
            SectionStats busyStats;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                await ProbeAsync(host, samples).ConfigureAwait(false);
                busyStats = section.Stop();
            }

            var busy = host.Probe.TakeLatency();
            await stopLoad.CancelAsync().ConfigureAwait(false);
            var fed = await load.ConfigureAwait(false);
            await worker.StopAsync().ConfigureAwait(false);
            var loadNote = string.Create(CultureInfo.InvariantCulture, $"background load {fed / (busyStats.Elapsed.TotalSeconds + 0.2):N0} jobs/s offered (target {busyRate:N0})");
            return
            [
                idleStats.Into(Mrq(backend, "latency-idle-p50", (int)idle.Count, LatencyGreenlets, rep, idle.P50, "ms")),
                idleStats.Into(Mrq(backend, "latency-idle-p95", (int)idle.Count, LatencyGreenlets, rep, idle.P95, "ms")),
                idleStats.Into(Mrq(backend, "latency-idle-p99", (int)idle.Count, LatencyGreenlets, rep, idle.P99, "ms")),
                busyStats.Into(Mrq(backend, "latency-busy-p50", (int)busy.Count, LatencyGreenlets, rep, busy.P50, "ms")) with { Note = loadNote },
                busyStats.Into(Mrq(backend, "latency-busy-p95", (int)busy.Count, LatencyGreenlets, rep, busy.P95, "ms")) with { Note = loadNote },
                busyStats.Into(Mrq(backend, "latency-busy-p99", (int)busy.Count, LatencyGreenlets, rep, busy.P99, "ms")) with { Note = loadNote },
            ];
        });
    }

    private static async Task ProbeAsync(BenchHost host, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var started = host.Probe.ArmProbe();
            await host.EnqueueProbeAsync(Stopwatch.GetTimestamp()).ConfigureAwait(false);
            await started.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await Task.Delay(1 + Random.Shared.Next(5)).ConfigureAwait(false);
        }
    }

    /// <summary>Queues no-op jobs at about <paramref name="rate"/> per second in small batches every 10 ms; returns how many.</summary>
    private static async Task<long> FeedAsync(BenchHost host, double rate, CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        long fed = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate);
            var batch = (int)Math.Min(due - fed, 1000);
            if (batch > 0)
            {
                await host.EnqueueAsync("noop", batch, batched: true).ConfigureAwait(false);
                fed += batch;
            }

            try
            {
                await Task.Delay(10, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return fed;
    }
}
