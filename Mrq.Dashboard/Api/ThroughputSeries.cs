using Mrq.Jobs;
using Mrq.Monitoring;

namespace Mrq.Dashboard.Api;

/// <summary>Jobs that ended in one minute: succeeded, and failed (<c>failed</c>, <c>maxretries</c>, <c>timeout</c>).</summary>
/// <param name="Start">The minute's start (UTC).</param>
/// <param name="Succeeded">Jobs that reached <c>success</c>.</param>
/// <param name="Failed">Jobs that reached a failure status.</param>
internal readonly record struct ThroughputPoint(DateTime Start, long Succeeded, long Failed);

/// <summary>
/// Throughput and failures over time, as a cheap counter series: every overview the dashboard reads (the page or
/// its live poll, a few index-served counts) is a sample of the success and failure totals, and the growth between
/// two samples is added to the minute of the later one. So it costs no query of its own and works on every storage,
/// but it covers only the time this dashboard has been watching (at most the last hour), and a total that shrinks
/// (cleanup deleting old jobs, a requeue of failed jobs) counts as zero, not as negative throughput.
/// </summary>
internal sealed class ThroughputSeries
{
    /// <summary>The width of one point.</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);

    /// <summary>How many points are kept (one hour).</summary>
    public const int Points = 60;

    private static readonly JobStatus[] s_failures = [JobStatus.Failed, JobStatus.MaxRetries, JobStatus.Timeout];

    private readonly Lock _lock = new();
    private readonly SortedDictionary<DateTime, (long Succeeded, long Failed)> _buckets = [];
    private (DateTime At, long Succeeded, long Failed)? _last;

    /// <summary>When the first sample was taken, or null before any.</summary>
    public DateTime? Since { get; private set; }

    /// <summary>Takes a sample from an overview (samples older than the last one are ignored).</summary>
    public void Record(MonitorOverview overview)
    {
        ArgumentNullException.ThrowIfNull(overview);
        var succeeded = overview.StatusTotals.GetValueOrDefault(JobStatus.Success);
        var failed = s_failures.Sum(overview.StatusTotals.GetValueOrDefault);
        lock (_lock)
        {
            if (_last is { } last)
            {
                if (overview.At <= last.At)
                {
                    return;
                }

                var bucket = Floor(overview.At);
                var (s, f) = _buckets.GetValueOrDefault(bucket);
                _buckets[bucket] = (s + Math.Max(0, succeeded - last.Succeeded), f + Math.Max(0, failed - last.Failed));
                foreach (var old in _buckets.Keys.TakeWhile(k => k <= bucket - Points * Bucket).ToList())
                {
                    _buckets.Remove(old);
                }
            }
            else
            {
                Since = overview.At;
            }

            _last = (overview.At, succeeded, failed);
        }
    }

    /// <summary>One point per minute from the first sample (at most an hour back) to <paramref name="now"/>'s minute; empty before the first sample.</summary>
    public IReadOnlyList<ThroughputPoint> Read(DateTime now)
    {
        lock (_lock)
        {
            if (Since is not { } since)
            {
                return [];
            }

            var end = Floor(now);
            var first = Floor(since);
            var earliest = end - (Points - 1) * Bucket;
            var points = new List<ThroughputPoint>();
            for (var start = first > earliest ? first : earliest; start <= end; start += Bucket)
            {
                var (succeeded, failed) = _buckets.GetValueOrDefault(start);
                points.Add(new ThroughputPoint(start, succeeded, failed));
            }

            return points;
        }
    }

    private static DateTime Floor(DateTime at) => new(at.Ticks - (at.Ticks % Bucket.Ticks), DateTimeKind.Utc);
}
