using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Mrq.Benchmarks.Runner;
using Mrq.Jobs;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// Producers and a worker at the same time (issue 13 item 3 a and c): closed-loop single producers to find the
/// sustained maximum, then open-loop load at fractions of it with enqueue→start and enqueue→finish percentiles.
/// </summary>
internal sealed partial class MrqWorkloads
{
    private const int ConcurrentGreenlets = 8;

    /// <summary>Jobs whose outcome is awaited with <c>WaitAsync</c> in an open-loop run: one in this many.</summary>
    private const int FinishSampleEvery = 10;

    /// <summary>
    /// <paramref name="producers"/> tasks each call <c>QueueJobAsync</c> (raw: a one-member <c>QueueRawJobsAsync</c>)
    /// in a loop for the plan's window while a worker with 8 greenlets runs; then the producers stop and the run ends
    /// when every queued job has run. <c>producers-enqueue</c> = jobs queued per second of the window;
    /// <c>producers-e2e</c> = jobs ÷ (window + drain): the sustained rate with enqueue and processing overlapped.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> ProducersAsync(string backend, int producers, int rep) =>
        _recorder.MeasureAsync($"{backend} {producers} concurrent producers", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, ConcurrentGreenlets, 0, null).ConfigureAwait(false);
            await using var worker = host.StartBackgroundWorker();
            _ = host.Probe.ExpectAsync(long.MaxValue);
            var window = TimeSpan.FromSeconds(_plan.ConcurrentSeconds);
            long queued = 0;
            SectionStats stats;
            TimeSpan windowElapsed;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                var start = Stopwatch.GetTimestamp();
                var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
                {
                    var i = 0;
                    while (Stopwatch.GetElapsedTime(start) < window)
                    {
                        await EnqueueOneAsync(host, "n", p, i++).ConfigureAwait(false);
                        Interlocked.Increment(ref queued);
                    }
                })).ToArray();
                await Task.WhenAll(tasks).ConfigureAwait(false);
                windowElapsed = Stopwatch.GetElapsedTime(start);
                await WaitForAsync(() => host.Probe.Count >= queued).ConfigureAwait(false);
                stats = section.Stop();
            }

            await worker.StopAsync().ConfigureAwait(false);
            var n = (int)queued;
            var note = host.Probe.Count == queued ? "" : $"INCOMPLETE: {host.Probe.Count} of {queued} ran";
            var metric = string.Create(CultureInfo.InvariantCulture, $"producers-{producers}");
            return
            [
                stats.Into(Mrq(backend, metric + "-enqueue", n, ConcurrentGreenlets, rep, queued / windowElapsed.TotalSeconds, "jobs/s"), n) with { Note = note },
                stats.Into(Mrq(backend, metric + "-e2e", n, ConcurrentGreenlets, rep, queued / stats.Elapsed.TotalSeconds, "jobs/s"), n) with { Note = note },
            ];
        });

    /// <summary>
    /// Open loop at <paramref name="rate"/> jobs/s for the plan's window, W = 8: job k is due at start + k ÷ rate and
    /// carries that scheduled time; a dispatcher fires each due <c>QueueJobAsync</c> without waiting for the ones before
    /// it, so a slow enqueue or a backlog shows as latency (no coordinated omission). Start latency is recorded by every
    /// job body; finish latency (outcome stored, seen by <c>WaitAsync</c>) for one job in ten (regular queues only: raw
    /// enqueues return no id).
    /// </summary>
    public Task<IReadOnlyList<Measurement>> OpenLoopAsync(string backend, int percent, double rate, int rep) =>
        _recorder.MeasureAsync($"{backend} open loop {percent} % ({rate:N0} jobs/s)", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, ConcurrentGreenlets, 0, null).ConfigureAwait(false);
            await using var worker = host.StartBackgroundWorker();
            _ = host.Probe.ExpectAsync(long.MaxValue);
            host.OpenLoop.Reset();
            var total = Math.Max(1, (int)(rate * _plan.ConcurrentSeconds));
            SectionStats stats;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                var pending = await DispatchAsync(host, total, rate).ConfigureAwait(false);
                await Task.WhenAll(pending).ConfigureAwait(false);
                await WaitForAsync(() => host.OpenLoop.Started >= total).ConfigureAwait(false);
                stats = section.Stop();
            }

            await worker.StopAsync().ConfigureAwait(false);
            var note = string.Create(CultureInfo.InvariantCulture, $"offered {rate:N0} jobs/s ({percent} % of the sustained maximum) for {_plan.ConcurrentSeconds:N0} s") +
                (host.OpenLoop.Started == total ? "" : $"; INCOMPLETE: {host.OpenLoop.Started} of {total} ran");
            var dispatch = host.OpenLoop.DispatchLateness();
            note += string.Create(CultureInfo.InvariantCulture, $"; dispatcher lateness p50 {dispatch.P50:F2} / p99 {dispatch.P99:F2} ms (included in the latencies)");
            var started = host.OpenLoop.Percentiles(finish: false);
            var finished = host.OpenLoop.Percentiles(finish: true);
            var prefix = string.Create(CultureInfo.InvariantCulture, $"open-{percent}");
            var rows = new List<Measurement>
            {
                stats.Into(Mrq(backend, prefix + "-jobs/s", total, ConcurrentGreenlets, rep, total / stats.Elapsed.TotalSeconds, "jobs/s"), total) with { Note = note },
                stats.Into(Mrq(backend, prefix + "-start-p50", (int)started.Count, ConcurrentGreenlets, rep, started.P50, "ms")) with { Note = note },
                stats.Into(Mrq(backend, prefix + "-start-p99", (int)started.Count, ConcurrentGreenlets, rep, started.P99, "ms")) with { Note = note },
                stats.Into(Mrq(backend, prefix + "-start-p999", (int)started.Count, ConcurrentGreenlets, rep, started.P999, "ms")) with { Note = note },
            };
            if (finished.Count > 0)
            {
                rows.Add(stats.Into(Mrq(backend, prefix + "-finish-p50", (int)finished.Count, ConcurrentGreenlets, rep, finished.P50, "ms")) with { Note = note });
                rows.Add(stats.Into(Mrq(backend, prefix + "-finish-p99", (int)finished.Count, ConcurrentGreenlets, rep, finished.P99, "ms")) with { Note = note });
                rows.Add(stats.Into(Mrq(backend, prefix + "-finish-p999", (int)finished.Count, ConcurrentGreenlets, rep, finished.P999, "ms")) with { Note = note });
            }

            return rows;
        });

    /// <summary>
    /// Fires each job at its scheduled time from a dedicated thread that wakes every ~1 ms (<c>Thread.Sleep(1)</c>):
    /// <c>Task.Delay(1)</c> rides .NET's timer queue, which on this kernel wakes only every ~4 ms (a coarse clock), and
    /// would add up to 4 ms of the harness's own to every latency. How late each job was fired is recorded apart.
    /// </summary>
    private static Task<List<Task>> DispatchAsync(BenchHost host, int total, double rate)
    {
        var done = new TaskCompletionSource<List<Task>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var pending = new List<Task>(total);
                var start = Stopwatch.GetTimestamp();
                var ticksPerJob = Stopwatch.Frequency / rate;
                for (var k = 0; k < total;)
                {
                    var due = Math.Min(total, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1);
                    for (; k < due; k++)
                    {
                        var scheduled = start + (long)(k * ticksPerJob);
                        host.OpenLoop.JobDispatched(scheduled);
                        pending.Add(TrackOneAsync(host, scheduled, k % FinishSampleEvery == 0));
                    }

                    Thread.Sleep(1);
                }

                done.SetResult(pending);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "open-loop dispatcher" };
        thread.Start();
        return done.Task;
    }

    private static async Task TrackOneAsync(BenchHost host, long scheduled, bool waitForOutcome)
    {
        var stamp = scheduled.ToString(CultureInfo.InvariantCulture);
        if (host.Raw)
        {
            await host.Client.QueueRawJobsAsync(host.Queue, ["t" + stamp]).ConfigureAwait(false);
            return;
        }

        var id = await host.Client.QueueJobAsync("bench.track", new JsonObject { ["t"] = stamp }, host.Queue).ConfigureAwait(false);
        if (waitForOutcome)
        {
            var result = await host.Client.WaitAsync(id, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            if (result.Status == JobStatus.Success)
            {
                host.OpenLoop.JobFinished(scheduled);
            }
        }
    }

    private static Task EnqueueOneAsync(BenchHost host, string letter, int producer, int i) => host.Raw
        ? host.Client.QueueRawJobsAsync(host.Queue, [string.Create(CultureInfo.InvariantCulture, $"{letter}{producer}-{i}")])
        : host.Client.QueueJobAsync("bench.noop", new JsonObject { ["i"] = i }, host.Queue);

    /// <summary>Waits (up to two minutes) for a condition the worker makes true.</summary>
    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()), TimeSpan.FromMinutes(2));

    /// <summary>Waits (up to <paramref name="limit"/>) for a condition read from storage, polling every 5 ms.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        while (!await condition().ConfigureAwait(false) && Stopwatch.GetElapsedTime(start) < limit)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }
}
