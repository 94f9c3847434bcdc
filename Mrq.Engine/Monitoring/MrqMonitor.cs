using Microsoft.Extensions.Options;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Monitoring;

/// <summary>The storage-SPI implementation of <see cref="IMrqMonitor"/>.</summary>
internal sealed class MrqMonitor : IMrqMonitor
{
    private const int ScanBatch = 1000;
    private const int MaxPageSize = 1000;
    private static readonly TimeSpan s_minimumStaleAfter = TimeSpan.FromSeconds(30);

    private readonly MrqStorage _storage;
    private readonly MrqOptions _options;
    private readonly TimeProvider _time;

    public MrqMonitor(MrqStorage storage, IOptions<MrqOptions> options, TimeProvider time)
    {
        _storage = storage;
        _options = options.Value;
        _time = time;
        var threeReports = TimeSpan.FromSeconds(3 * _options.ReportInterval);
        StaleAfter = threeReports > s_minimumStaleAfter ? threeReports : s_minimumStaleAfter;
    }

    public int ScanLimit { get; init; } = 100_000;

    public TimeSpan StaleAfter { get; }

    public async Task<MonitorOverview> GetOverviewAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow().UtcDateTime;
        var paused = await _storage.QueueStates.GetPausedAsync(cancellationToken).ConfigureAwait(false);
        var counts = await _storage.Jobs.CountByQueueAndStatusAsync(cancellationToken).ConfigureAwait(false);
        var queues = new List<QueueSummary>();
        foreach (var group in counts.Where(c => c.Count > 0).GroupBy(c => c.Queue, StringComparer.Ordinal))
        {
            var byStatus = group.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
            var oldest = byStatus.GetValueOrDefault(JobStatus.Queued) > 0
                ? await OldestQueuedAsync(group.Key, byStatus[JobStatus.Queued], cancellationToken).ConfigureAwait(false)
                : null;
            queues.Add(new QueueSummary(group.Key, false, byStatus, null, IsPaused(group.Key, paused), oldest is null ? null : now - oldest.Value));
        }

        foreach (var rawQueue in await KnownRawQueuesAsync(cancellationToken).ConfigureAwait(false))
        {
            var size = await _storage.RawQueues.SizeAsync(rawQueue, cancellationToken).ConfigureAwait(false);
            queues.Add(new QueueSummary(rawQueue, true, new Dictionary<JobStatus, long>(), size, IsPaused(rawQueue, paused), null));
        }

        var totals = counts.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        var workers = await GetWorkersAsync(cancellationToken).ConfigureAwait(false);
        return new MonitorOverview(
            [.. queues.OrderBy(q => q.Name, StringComparer.Ordinal)],
            totals,
            workers.Count(w => !w.IsStale),
            workers.Count(w => w.IsStale),
            now);
    }

    public async Task<JobPage> SearchJobsAsync(JobSearch search, int skip, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (search.IsStorageNative)
        {
            var jobs = await _storage.Jobs.QueryAsync(search.Filter, skip, limit, cancellationToken).ConfigureAwait(false);
            var total = await _storage.Jobs.CountAsync(search.Filter, cancellationToken).ConfigureAwait(false);
            return new JobPage(jobs, total, false);
        }

        var (matches, truncated) = await ScanAsync(search.Filter, search.MatchesScanCriteria, cancellationToken).ConfigureAwait(false);
        var ordered = JobOrdering.Sort(matches, search.Sort, search.Descending);
        return new JobPage([.. ordered.Skip(skip).Take(limit)], matches.Count, truncated);
    }

    public async Task<(IReadOnlyList<JobId> Ids, bool Truncated)> FindJobIdsAsync(JobSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var (matches, truncated) = await ScanAsync(search.Filter, search.MatchesScanCriteria, cancellationToken).ConfigureAwait(false);
        return ([.. matches.Select(j => j.Id)], truncated);
    }

    public async Task<JobDetails?> GetJobAsync(JobId id, CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var found = await _storage.Jobs.GetAsync([id], cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return null;
        }

        var logs = await _storage.Logs.GetJobLogsAsync(id, cancellationToken).ConfigureAwait(false);
        return new JobDetails(found[0], logs);
    }

    public async Task<IReadOnlyList<WorkerStatus>> GetWorkersAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow().UtcDateTime;
        var reports = await _storage.Workers.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. reports
            .Select(r => new WorkerStatus(r, now - r.DateReported, now - r.DateReported > StaleAfter))
            .OrderByDescending(w => w.Report.DateReported)];
    }

    public async Task<IReadOnlyList<RawQueueItem>> PeekRawQueueAsync(string queue, int limit, CancellationToken cancellationToken = default)
    {
        QueueNames.Validate(queue, nameof(queue));
        if (!QueueNames.IsRaw(queue))
        {
            throw new ArgumentException($"'{queue}' is not a raw queue (its name must end in _raw, _set, _sorted_set or _timed_set).", nameof(queue));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.RawQueues.ListAsync(queue, 0, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TaskStatsReport> GetTaskStatsAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var (jobs, truncated) = await ScanAsync(JobFilter.All, static _ => true, cancellationToken).ConfigureAwait(false);
        var rows = jobs
            .GroupBy(j => (j.Path, j.Status))
            .Select(g =>
            {
                var times = g.Where(j => j.TotalTime is not null).Select(j => j.TotalTime!.Value).Order().ToArray();
                return new TaskStats(
                    g.Key.Path,
                    g.Key.Status,
                    g.Count(),
                    times.Length == 0 ? null : times.Average(),
                    times.Length == 0 ? null : times[(int)Math.Ceiling(0.95 * times.Length) - 1]);
            })
            .OrderBy(t => t.Path, StringComparer.Ordinal)
            .ThenBy(t => t.Status)
            .ToList();
        return new TaskStatsReport(rows, truncated);
    }

    private ValueTask<DateTime?> OldestQueuedAsync(string queue, long queuedCount, CancellationToken cancellationToken) =>
        _storage.Jobs.OldestQueuedDateAsync(queue, queuedCount, cancellationToken);

    private async Task<IReadOnlyList<string>> KnownRawQueuesAsync(CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in _options.RawQueues.Keys)
        {
            names.Add(root);
            foreach (var subqueue in await _storage.RawQueues.KnownSubqueuesAsync(root, cancellationToken).ConfigureAwait(false))
            {
                names.Add(subqueue);
            }
        }

        return [.. names];
    }

    private async Task<(List<JobRecord> Matches, bool Truncated)> ScanAsync(
        JobFilter filter, Func<JobRecord, bool> keep, CancellationToken cancellationToken)
    {
        var matches = new List<JobRecord>();
        var scanned = 0;
        while (scanned < ScanLimit)
        {
            var batch = await _storage.Jobs.QueryAsync(filter, scanned, Math.Min(ScanBatch, ScanLimit - scanned), cancellationToken).ConfigureAwait(false);
            matches.AddRange(batch.Where(keep));
            scanned += batch.Count;
            if (batch.Count < ScanBatch)
            {
                return (matches, false);
            }
        }

        var more = await _storage.Jobs.QueryAsync(filter, scanned, 1, cancellationToken).ConfigureAwait(false);
        return (matches, more.Count > 0);
    }

    private static bool IsPaused(string queue, IReadOnlySet<string> paused) => paused.Any(p => QueueNames.IsPausedBy(queue, p));
}
