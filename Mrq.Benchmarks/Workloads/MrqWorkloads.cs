using System.Globalization;
using Mrq.Benchmarks.Runner;
using Mrq.Jobs;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// The Mrq side of the runner: enqueue, dequeue / end to end, latency, the 10 ms I/O-bound job and scale, each on a
/// fresh storage per run.
/// </summary>
internal sealed partial class MrqWorkloads
{
    /// <summary>Appended to the metric names of runs at the runner's tuned prefetch.</summary>
    public const string TunedSuffix = "-tuned";

    /// <summary>The metric suffix of LiteDB runs with <c>FlushToDisk</c> on (default prefetch).</summary>
    public const string FsyncSuffix = "-fsync";

    private readonly BenchEnvironment _env;
    private readonly BenchPlan _plan;
    private readonly Recorder _recorder;
    private readonly JobStoreTimer? _timer;

    public MrqWorkloads(BenchEnvironment env, BenchPlan plan, Recorder recorder, JobStoreTimer? timer)
    {
        _env = env;
        _plan = plan;
        _recorder = recorder;
        _timer = timer;
    }

    /// <summary>One untimed dequeue run (N/10, W = 8) so the JIT and the storage client are warm.</summary>
    public async Task WarmUpAsync(string backend)
    {
        var n = Math.Max(100, _plan.NoOpJobs(backend) / 10);
        await using var host = await BenchHost.StartAsync(_env, backend, 8, n, null).ConfigureAwait(false);
        await host.EnqueueAsync("noop", n, batched: true).ConfigureAwait(false);
        await host.RunWorkerAsync(n).ConfigureAwait(false);
    }

    /// <summary>One QueueJobAsync (or one-member QueueRawJobsAsync) call per job, from one task.</summary>
    public Task<IReadOnlyList<Measurement>> EnqueueSingleAsync(string backend, int rep)
    {
        var n = _plan.SingleEnqueueJobs(backend == "redis-stored" ? "redis" : backend);
        return _recorder.MeasureAsync($"{backend} enqueue-single", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, 1, 0, null).ConfigureAwait(false);
            using var section = TimedSection.Start(_recorder.Cpu);
            await host.EnqueueAsync("noop", n, batched: false).ConfigureAwait(false);
            var stats = section.Stop();
            return [stats.Into(Mrq(backend, "enqueue-single", n, 1, rep, n / stats.Elapsed.TotalSeconds, "jobs/s"), n)];
        });
    }

    /// <summary>
    /// Enqueue N no-op jobs in batches of 1000 (timed: <c>enqueue-batched</c>), then run a worker with W greenlets and
    /// max_jobs N from its start until it returns with every outcome saved (timed: <c>dequeue</c>); <c>e2e</c> is N
    /// over both times. The worker does claim + run + complete for each job; outcomes are stored.
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="n">Jobs queued.</param>
    /// <param name="w">Greenlets.</param>
    /// <param name="rep">Repetition number.</param>
    /// <param name="processed">Jobs the worker processes (max_jobs), when fewer than N: a scale run over a deep queue.</param>
    /// <param name="tunedPrefetch">A prefetch other than the runner's: the figures are recorded as the tuned metrics
    /// (<c>enqueue-batched-tuned</c>, <c>dequeue-tuned</c>, <c>e2e-tuned</c>), never mixed with the default ones.</param>
    /// <param name="flushToDisk">LiteDB with <c>FlushToDisk</c> on: recorded as the <c>-fsync</c> metrics.</param>
    public Task<IReadOnlyList<Measurement>> DequeueAsync(string backend, int n, int w, int rep, int? processed = null, int? tunedPrefetch = null, bool flushToDisk = false)
    {
        var p = processed ?? n;
        var suffix = tunedPrefetch is not null ? TunedSuffix : flushToDisk ? FsyncSuffix : "";
        return _recorder.MeasureAsync($"{backend} dequeue N={n} W={w}{(tunedPrefetch is { } t ? $" prefetch {t}" : "")}{(flushToDisk ? " FlushToDisk" : "")}", async () =>
        {
            _timer?.Reset();
            await using var host = await BenchHost.StartAsync(_env, backend, w, p, _timer, tunedPrefetch, flushToDisk).ConfigureAwait(false);
            SectionStats enqueue;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                await host.EnqueueAsync("noop", n, batched: true).ConfigureAwait(false);
                enqueue = section.Stop();
            }

            var enqueueProfile = _timer?.Describe(enqueue.Elapsed);
            _timer?.Reset();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var sampler = _timer is not null ? new AllocationSampler() : null;
            SectionStats process;
            WorkerRunResult result;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                result = await host.RunWorkerAsync(p).ConfigureAwait(false);
                process = section.Stop();
            }

            var note = await CheckAsync(host, result, p).ConfigureAwait(false);
            if (_timer is not null)
            {
                Console.WriteLine($"  profile {backend} N={n} W={w}: enqueue {enqueue.Elapsed.TotalMilliseconds:N0} ms\n{enqueueProfile}" +
                    $"  processing {process.Elapsed.TotalMilliseconds:N0} ms\n{_timer.Describe(process.Elapsed)}{sampler?.Describe(p)}{LastGcs()}");
            }

            var whole = enqueue.Elapsed + process.Elapsed;
            if (p != n)
            {
                return
                [
                    enqueue.Into(Mrq(backend, "scale-enqueue", n, w, rep, n / enqueue.Elapsed.TotalSeconds, "jobs/s"), n),
                    process.Into(Mrq(backend, "scale-dequeue", n, w, rep, p / process.Elapsed.TotalSeconds, "jobs/s"), p) with
                    {
                        Processed = p,
                        FirstJobMs = result.FirstJob?.TotalMilliseconds,
                        Note = note,
                    },
                ];
            }

            return
            [
                enqueue.Into(Mrq(backend, "enqueue-batched" + suffix, n, w, rep, n / enqueue.Elapsed.TotalSeconds, "jobs/s"), n),
                process.Into(Mrq(backend, "dequeue" + suffix, n, w, rep, n / process.Elapsed.TotalSeconds, "jobs/s"), n) with
                {
                    FirstJobMs = result.FirstJob?.TotalMilliseconds,
                    Note = note,
                },
                process.Into(Mrq(backend, "e2e" + suffix, n, w, rep, n / whole.TotalSeconds, "jobs/s"), n) with
                {
                    Seconds = whole.TotalSeconds,
                    PeakWorkingSet = Math.Max(enqueue.PeakWorkingSet, process.PeakWorkingSet),
                    PeakManaged = Math.Max(enqueue.PeakManaged, process.PeakManaged),
                    AllocatedPerJob = (double)(enqueue.Allocated + process.Allocated) / n,
                    GcCollections = enqueue.Gc.Collections + process.Gc.Collections,
                    GcPauseShare = (enqueue.Gc.Pause + process.Gc.Pause) / whole,
                    Note = note,
                },
            ];
        });
    }

    /// <summary>For <c>--profile</c>: the last young and background collections, what they promoted and how long they paused.</summary>
    private static string LastGcs()
    {
        var text = new System.Text.StringBuilder();
        foreach (var kind in new[] { GCKind.Ephemeral, GCKind.Background, GCKind.FullBlocking })
        {
            var info = GC.GetGCMemoryInfo(kind);
            if (info.Index == 0)
            {
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture,
                $"    last {kind} GC #{info.Index} gen{info.Generation}: promoted {info.PromotedBytes / 1024.0:N0} KiB, heap {info.HeapSizeBytes / 1048576.0:N0} MiB, " +
                $"pauses {string.Join(" + ", info.PauseDurations.ToArray().Where(d => d > TimeSpan.Zero).Select(d => d.TotalMilliseconds.ToString("N2", CultureInfo.InvariantCulture)))} ms, " +
                $"{GC.CollectionCount(0)} gen0 / {GC.CollectionCount(1)} gen1 / {GC.CollectionCount(2)} gen2 collections so far");
        }

        return text.ToString();
    }

    /// <summary>Checks that every job ran and (where statuses are stored) was saved <c>success</c>; returns a note when not.</summary>
    private static async Task<string> CheckAsync(BenchHost host, WorkerRunResult result, int n)
    {
        var problems = new List<string>();
        if (result.Stalled)
        {
            problems.Add("STALLED (no job finished for 60 s)");
        }

        if (result.JobsRun != n)
        {
            problems.Add($"INCOMPLETE: {result.JobsRun} of {n} jobs ran");
        }

        if (host.Backend is not ("redis" or "redis-aof"))
        {
            var succeeded = await host.CountAsync(JobStatus.Success).ConfigureAwait(false);
            if (succeeded != n)
            {
                problems.Add($"INCOMPLETE: {succeeded} of {n} stored as success");
            }
        }

        return string.Join("; ", problems);
    }

    private static Measurement Mrq(string backend, string metric, int n, int w, int rep, double value, string unit) => new()
    {
        System = "Mrq",
        Backend = backend,
        Metric = metric,
        N = n,
        W = w,
        Rep = rep,
        Value = value,
        Unit = unit,
    };
}
