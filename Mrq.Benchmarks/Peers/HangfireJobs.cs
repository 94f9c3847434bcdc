using System.Diagnostics;
using HdrHistogram;

namespace Mrq.Benchmarks.Peers;

/// <summary>
/// The job methods Hangfire runs (Hangfire invokes public methods only, so this type is public). They report to
/// static counters; Hangfire runs are sequential, so one set of counters serves every run.
/// </summary>
public static class HangfireJobs
{
    private static readonly Lock s_gate = new();
    private static readonly LongHistogram s_latency = new(1, 60_000_000, 3);
    private static long s_count;
    private static long s_target = long.MaxValue;
    private static long s_first;
    private static TaskCompletionSource s_reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static TaskCompletionSource? s_probe;

    internal static long Count => Interlocked.Read(ref s_count);

    internal static long FirstTimestamp => Interlocked.Read(ref s_first);

    /// <summary>The no-op job: only counts.</summary>
    public static void NoOp() => Ran();

    /// <summary>The 10 ms I/O-bound job.</summary>
    public static async Task Io10()
    {
        await Task.Delay(10).ConfigureAwait(false);
        Ran();
    }

    /// <summary>A latency probe: <paramref name="enqueuedTimestamp"/> was taken just before the enqueue call.</summary>
    public static void Probe(long enqueuedTimestamp)
    {
        var micros = (long)Stopwatch.GetElapsedTime(enqueuedTimestamp).TotalMicroseconds;
        lock (s_gate)
        {
            s_latency.RecordValue(Math.Clamp(micros, 1, 60_000_000));
        }

        Interlocked.Exchange(ref s_probe, null)?.TrySetResult();
        Ran();
    }

    internal static Task Expect(long target)
    {
        lock (s_gate)
        {
            Interlocked.Exchange(ref s_count, 0);
            Interlocked.Exchange(ref s_first, 0);
            Interlocked.Exchange(ref s_target, target);
            s_reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return s_reached.Task;
        }
    }

    internal static Task ArmProbe()
    {
        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref s_probe, probe);
        return probe.Task;
    }

    internal static (double P50, double P95, double P99, long Count) TakeLatency()
    {
        lock (s_gate)
        {
            var result = (s_latency.GetValueAtPercentile(50) / 1000.0, s_latency.GetValueAtPercentile(95) / 1000.0, s_latency.GetValueAtPercentile(99) / 1000.0, s_latency.TotalCount);
            s_latency.Reset();
            return result;
        }
    }

    private static void Ran()
    {
        if (Interlocked.Read(ref s_first) == 0)
        {
            Interlocked.CompareExchange(ref s_first, Stopwatch.GetTimestamp(), 0);
        }

        if (Interlocked.Increment(ref s_count) == Interlocked.Read(ref s_target))
        {
            s_reached.TrySetResult();
        }
    }
}
