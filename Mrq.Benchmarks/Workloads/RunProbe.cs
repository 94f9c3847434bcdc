using System.Diagnostics;
using HdrHistogram;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// What the benchmark tasks report back to the runner: how many jobs ran, when the first one started, and the
/// enqueue→start latency of probe jobs (from the timestamp the probe carries in its params to the start of its
/// task body) in an HdrHistogram, in microseconds.
/// </summary>
internal sealed class RunProbe
{
    private readonly Lock _gate = new();
    private readonly LongHistogram _latency = new(1, 60_000_000, 3);
    private long _count;
    private long _firstTimestamp;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _probe;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Stopwatch timestamp of the first job body, 0 before.</summary>
    public long FirstTimestamp => Interlocked.Read(ref _firstTimestamp);

    /// <summary>Resets the counter; the returned task completes when <paramref name="target"/> jobs have run.</summary>
    public Task ExpectAsync(long target)
    {
        lock (_gate)
        {
            Interlocked.Exchange(ref _count, 0);
            Interlocked.Exchange(ref _firstTimestamp, 0);
            _target = target;
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _reached.Task;
        }
    }

    /// <summary>Called by every counted task body.</summary>
    public void JobRan()
    {
        if (Interlocked.Read(ref _firstTimestamp) == 0)
        {
            Interlocked.CompareExchange(ref _firstTimestamp, Stopwatch.GetTimestamp(), 0);
        }

        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _reached.TrySetResult();
        }
    }

    /// <summary>Arms the wait for the next probe (one probe in flight at a time).</summary>
    public Task ArmProbe()
    {
        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _probe, probe);
        return probe.Task;
    }

    /// <summary>Called by the probe task body with the timestamp taken just before its enqueue call.</summary>
    public void ProbeStarted(long enqueuedTimestamp)
    {
        var micros = (long)Stopwatch.GetElapsedTime(enqueuedTimestamp).TotalMicroseconds;
        lock (_gate)
        {
            _latency.RecordValue(Math.Clamp(micros, 1, 60_000_000));
        }

        Interlocked.Exchange(ref _probe, null)?.TrySetResult();
    }

    /// <summary>The latency percentiles recorded since the last reset, in milliseconds, and clears them.</summary>
    public (double P50, double P95, double P99, long Count) TakeLatency()
    {
        lock (_gate)
        {
            var result = (
                _latency.GetValueAtPercentile(50) / 1000.0,
                _latency.GetValueAtPercentile(95) / 1000.0,
                _latency.GetValueAtPercentile(99) / 1000.0,
                _latency.TotalCount);
            _latency.Reset();
            return result;
        }
    }
}
