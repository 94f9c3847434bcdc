using System.Diagnostics;
using HdrHistogram;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// Latencies of an open-loop run, in microseconds: from the time a job was <b>scheduled</b> to be enqueued (not the
/// time the producer got to it, so a stalled producer shows up as latency instead of hiding it) to the start of its
/// task body, and, for the sampled jobs, to the moment <c>WaitAsync</c> saw its outcome stored.
/// </summary>
internal sealed class OpenLoopProbe
{
    private readonly Lock _gate = new();
    private readonly LongHistogram _start = new(1, 600_000_000, 3);
    private readonly LongHistogram _finish = new(1, 600_000_000, 3);
    private readonly LongHistogram _dispatch = new(1, 600_000_000, 3);
    private long _started;

    /// <summary>Jobs whose body started since the last <see cref="Reset"/>.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Called by the tracked task body with its scheduled timestamp.</summary>
    public void JobStarted(long scheduledTimestamp)
    {
        Record(_start, scheduledTimestamp);
        Interlocked.Increment(ref _started);
    }

    /// <summary>Called by the dispatcher as it fires a job: how late it fired, by its own clock and sleep.</summary>
    public void JobDispatched(long scheduledTimestamp) => Record(_dispatch, scheduledTimestamp);

    /// <summary>p50 / p99 of how late the dispatcher fired jobs, in milliseconds.</summary>
    public (double P50, double P99) DispatchLateness()
    {
        lock (_gate)
        {
            return _dispatch.TotalCount == 0 ? (double.NaN, double.NaN) : (_dispatch.GetValueAtPercentile(50) / 1000.0, _dispatch.GetValueAtPercentile(99) / 1000.0);
        }
    }

    /// <summary>Called when a sampled job's outcome was seen stored.</summary>
    public void JobFinished(long scheduledTimestamp) => Record(_finish, scheduledTimestamp);

    public void Reset()
    {
        lock (_gate)
        {
            _start.Reset();
            _finish.Reset();
            _dispatch.Reset();
            Interlocked.Exchange(ref _started, 0);
        }
    }

    /// <summary>p50 / p99 / p99.9 in milliseconds and the count, of starts or of finishes.</summary>
    public (double P50, double P99, double P999, long Count) Percentiles(bool finish)
    {
        lock (_gate)
        {
            var histogram = finish ? _finish : _start;
            return histogram.TotalCount == 0
                ? (double.NaN, double.NaN, double.NaN, 0)
                : (histogram.GetValueAtPercentile(50) / 1000.0, histogram.GetValueAtPercentile(99) / 1000.0, histogram.GetValueAtPercentile(99.9) / 1000.0, histogram.TotalCount);
        }
    }

    private void Record(LongHistogram histogram, long scheduledTimestamp)
    {
        var micros = (long)Stopwatch.GetElapsedTime(scheduledTimestamp).TotalMicroseconds;
        lock (_gate)
        {
            histogram.RecordValue(Math.Clamp(micros, 1, 600_000_000));
        }
    }
}
