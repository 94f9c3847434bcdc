using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Diagnostics;

/// <summary>
/// The sampled values of <c>mrq.queue.depth</c>: queued jobs per regular queue. A collection only reads the cached
/// sample; when the sample is older than the interval it starts one background count (never more than one at a time)
/// and the next collection sees its result. So a metrics scraper polling every second costs at most one
/// <see cref="IJobStore.CountByQueueAndStatusAsync"/> per interval, and never waits on storage.
/// </summary>
internal sealed class QueueDepthSampler
{
    /// <summary>How old a sample may get before a collection refreshes it.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(15);

    private readonly Func<MrqStorage> _storage;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Action<Exception> _failed;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Measurement<long>[] _sample = [];
    private long _sampledAt;
    private bool _sampled;
    private Task? _refresh;
    private bool _failing;

    /// <param name="storage">The storage, resolved on the first refresh (so registering the metrics connects nothing).</param>
    /// <param name="time">The clock of the interval.</param>
    /// <param name="interval">How old a sample may get.</param>
    /// <param name="failed">Called when a refresh fails (counted as a storage error).</param>
    /// <param name="logger">Receives the first failure of a series.</param>
    public QueueDepthSampler(Func<MrqStorage> storage, TimeProvider time, TimeSpan interval, Action<Exception> failed, ILogger logger)
    {
        _storage = storage;
        _time = time;
        _interval = interval;
        _failed = failed;
        _logger = logger;
    }

    /// <summary>The refresh in flight or last run (tests wait on it).</summary>
    internal Task? Refreshing
    {
        get
        {
            lock (_gate)
            {
                return _refresh;
            }
        }
    }

    /// <summary>The cached sample; starts a background refresh when it is stale and none runs.</summary>
    public IEnumerable<Measurement<long>> Observe()
    {
        lock (_gate)
        {
            var stale = !_sampled || _time.GetElapsedTime(_sampledAt) >= _interval;
            if (stale && _refresh is not { IsCompleted: false })
            {
                // Counted from now, so a failing storage is not retried at every collection either.
                _sampledAt = _time.GetTimestamp();
                _sampled = true;
                _refresh = Task.Run(RefreshAsync);
            }

            return _sample;
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            var storage = _storage();
            await storage.InitializeAsync(CancellationToken.None).ConfigureAwait(false);
            var counts = await storage.Jobs.CountByQueueAndStatusAsync(CancellationToken.None).ConfigureAwait(false);
            var sample = counts
                .Where(c => c.Status == JobStatus.Queued)
                .GroupBy(c => c.Queue, StringComparer.Ordinal)
                .Select(g => new Measurement<long>(g.Sum(c => c.Count), new KeyValuePair<string, object?>("queue", g.Key)))
                .ToArray();
            lock (_gate)
            {
                _sample = sample;
            }

            _failing = false;
        }
        catch (ObjectDisposedException)
        {
            // The host is shutting down under a late collection: nothing to sample, nothing to report.
        }
        catch (Exception ex)
        {
            // The last sample stays; the next refresh is due after the interval.
            _failed(ex);
            if (_failing)
            {
                return;
            }

            _failing = true;
            _logger.LogWarning(ex, "Sampling queue depths for the mrq.queue.depth metric failed; the last sample is kept.");
        }
    }
}
