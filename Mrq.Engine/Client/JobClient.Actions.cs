using Microsoft.Extensions.Logging;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Client;

/// <summary>Job actions, monitoring and queue administration.</summary>
internal sealed partial class JobClient
{
    public async Task<bool> CancelAsync(JobId id, CancellationToken cancellationToken = default)
    {
        if (await CancelJobsAsync(new JobFilter { Ids = [id] }, cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        // Stored as cancelled: a run in this process stops now; workers elsewhere see the status within a second.
        _completions.CancelRunning(id);
        return true;
    }

    public async Task<bool> RequeueAsync(JobId id, string? queue = null, CancellationToken cancellationToken = default) =>
        // Unlike a requeue by filter, naming one job requeues it even when queued (MRQ's Job.requeue): it goes to the back.
        await RequeueJobsAsync(new JobFilter { Ids = [id], Statuses = JobStateMachine.SourcesOf(JobStatus.Queued) }, queue, cancellationToken).ConfigureAwait(false) == 1;

    public Task<long> CancelJobsAsync(JobFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var now = Now;

        // Cancelled jobs are kept for the cancel ttl; a task's own ttl applies when the filter names that one path.
        var ttl = filter.Paths is [var onlyPath] ? _registry.OptionsFor(onlyPath).CancelTtl : TimeSpan.FromSeconds(_options.DefaultJobCancelTtl);
        return ApplyAsync(new JobAction(JobActionKind.Cancel, filter, now, ExpiresAt: now + ttl), cancellationToken);
    }

    public Task<long> RequeueJobsAsync(JobFilter filter, string? destinationQueue = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (destinationQueue is not null)
        {
            QueueNames.Validate(destinationQueue, nameof(destinationQueue));
            if (QueueNames.IsRaw(destinationQueue))
            {
                throw new ArgumentException($"'{destinationQueue}' is a raw queue; jobs can only be requeued on regular queues.", nameof(destinationQueue));
            }
        }

        var now = Now;
        return ApplyAsync(new JobAction(JobActionKind.Requeue, filter, now, destinationQueue, now + TimeSpan.FromSeconds(_options.DefaultJobTtl)), cancellationToken);
    }

    /// <summary>Applies a job action, then keeps queuesize counters right and wakes workers for requeued jobs.</summary>
    internal async Task<long> ApplyAsync(JobAction action, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);

        // The queues the filter selects, read once before the action (moving jobs never empties a queue's job set).
        var needsQueues = _storage.SizeCounter is not null || (action.TargetStatus == JobStatus.Queued && action.DestinationQueue is null);
        var sources = needsQueues ? await SourceQueuesAsync(action.Filter, cancellationToken).ConfigureAwait(false) : [];
        var destination = action.DestinationQueue;
        long count;
        if (_storage.SizeCounter is not null && action.Kind != JobActionKind.RequeueLost)
        {
            count = await ApplyCountedAsync(action, sources, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            count = await _storage.Jobs.ApplyActionAsync(action, cancellationToken).ConfigureAwait(false);
            if (count > 0 && _storage.SizeCounter is not null)
            {
                // A lost job is requeued or, past its limit, failed: the count does not say which, so the counters
                // of these queues are recomputed (maintenance only).
                await TryAsync(() => ReconcileSizesAsync(destination is null ? sources : [.. sources, destination], cancellationToken), count, action.Kind).ConfigureAwait(false);
            }
        }

        if (count == 0)
        {
            return 0;
        }

        if (action.TargetStatus == JobStatus.Queued)
        {
            try
            {
                foreach (var queue in destination is null ? sources : [destination])
                {
                    await _storage.Notifier.NotifyAsync(queue, (int)Math.Min(count, 100), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "{Count} jobs were requeued, but waking workers failed; workers will find them by polling.", count);
            }
        }

        return count;
    }

    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobFilter filter, int skip = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Jobs.QueryAsync(filter, skip, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetJobLogsAsync(JobId id, CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Logs.GetJobLogsAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> GetQueueSizeAsync(string queue, CancellationToken cancellationToken = default)
    {
        QueueNames.Validate(queue, nameof(queue));
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (QueueNames.IsRaw(queue))
        {
            return await _storage.RawQueues.SizeAsync(queue, cancellationToken).ConfigureAwait(false);
        }

        if (_storage.SizeCounter is { } counter)
        {
            return await counter.GetAsync(queue, cancellationToken).ConfigureAwait(false);
        }

        return await _storage.Jobs.CountAsync(new JobFilter { Queue = queue, Statuses = [JobStatus.Queued, JobStatus.Started] }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueueStatusCount>> GetQueueStatsAsync(CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var counts = (await _storage.Jobs.CountByQueueAndStatusAsync(cancellationToken).ConfigureAwait(false)).ToList();
        foreach (var (queue, _) in _options.RawQueues)
        {
            var size = await _storage.RawQueues.SizeAsync(queue, cancellationToken).ConfigureAwait(false);
            counts.Add(new QueueStatusCount(queue, JobStatus.Queued, size));
        }

        return counts;
    }

    public async Task PauseQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        QueueNames.Validate(queue, nameof(queue));
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _storage.QueueStates.PauseAsync(queue, cancellationToken).ConfigureAwait(false);
    }

    public async Task ResumeQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        QueueNames.Validate(queue, nameof(queue));
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _storage.QueueStates.ResumeAsync(queue, cancellationToken).ConfigureAwait(false);
        await _storage.Notifier.NotifyAsync(queue, 1, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsQueuePausedAsync(string queue, CancellationToken cancellationToken = default)
    {
        QueueNames.Validate(queue, nameof(queue));
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var paused = await _storage.QueueStates.GetPausedAsync(cancellationToken).ConfigureAwait(false);
        return paused.Any(p => QueueNames.IsPausedBy(queue, p));
    }

    public async Task<IReadOnlyList<RawQueueItem>> ListRawJobsAsync(string queue, int skip = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        RequireRaw(queue);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.RawQueues.ListAsync(queue, skip, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> RemoveRawJobsAsync(string queue, IEnumerable<string> members, CancellationToken cancellationToken = default)
    {
        RequireRaw(queue);
        ArgumentNullException.ThrowIfNull(members);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.RawQueues.RemoveAsync(queue, members.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static void RequireRaw(string queue)
    {
        QueueNames.Validate(queue, nameof(queue));
        if (!QueueNames.IsRaw(queue))
        {
            throw new ArgumentException($"'{queue}' is not a raw queue.", nameof(queue));
        }
    }

    /// <summary>
    /// Applies <paramref name="action"/> queue by queue and status group by status group, so each change's effect on
    /// MRQ's queuesize counters is known exactly from the number of jobs changed: a job leaving <c>queued</c> or
    /// <c>started</c> for <c>cancel</c> is one less, a job requeued from another status one more, a job moved to the
    /// destination queue one less here and one more there. As in MRQ, counters change with the action and never again
    /// for the same job (a worker's outcome for a job cancelled under it is not applied, so it decrements nothing);
    /// recomputing them from the job store instead raced with completions saved meanwhile and decremented twice.
    /// </summary>
    private async Task<long> ApplyCountedAsync(JobAction action, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        var statuses = action.EffectiveFilter().Statuses ?? [];
        var counted = statuses.Where(CountsInQueueSize).ToArray();
        var others = statuses.Where(s => !CountsInQueueSize(s)).ToArray();
        var deltas = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var queue in sources)
        {
            if (QueueNames.IsRaw(queue))
            {
                // Raw queues' sizes are their Redis structures: no counter (MRQ's outcomes never count them either).
                await ApplyToAsync(queue, statuses.ToArray()).ConfigureAwait(false);
                continue;
            }

            var target = action.DestinationQueue ?? queue;
            foreach (var status in counted)
            {
                var changed = await ApplyToAsync(queue, [status]).ConfigureAwait(false);
                if (action.Kind == JobActionKind.Cancel)
                {
                    Add(queue, -changed);
                }
                else if (target != queue)
                {
                    Add(queue, -changed);
                    Add(target, changed);
                }
            }

            if (others.Length > 0 && action.Kind != JobActionKind.Cancel)
            {
                Add(target, await ApplyToAsync(queue, others).ConfigureAwait(false));
            }
            else if (others.Length > 0)
            {
                await ApplyToAsync(queue, others).ConfigureAwait(false);
            }
        }

        deltas = deltas.Where(d => d.Value != 0).ToDictionary(StringComparer.Ordinal);
        if (deltas.Count > 0)
        {
            await TryAsync(() => _storage.SizeCounter!.AdjustAsync(deltas, cancellationToken).AsTask(), total, action.Kind).ConfigureAwait(false);
        }

        return total;

        async Task<long> ApplyToAsync(string queue, JobStatus[] only)
        {
            var changed = await _storage.Jobs.ApplyActionAsync(action with { Filter = action.Filter with { Queue = queue, Statuses = only } }, cancellationToken).ConfigureAwait(false);
            total += changed;
            return changed;
        }

        void Add(string queue, long delta) => deltas[queue] = deltas.GetValueOrDefault(queue) + delta;
    }

    /// <summary>MRQ's queuesize counts the jobs of a queue that are queued or started.</summary>
    private static bool CountsInQueueSize(JobStatus status) => status is JobStatus.Queued or JobStatus.Started;

    /// <summary>
    /// Runs a counter update after an applied action: it only helps (exact counters), so a failure is logged and
    /// never turns the applied action into a reported failure (a retry would apply it again).
    /// </summary>
    private async Task TryAsync(Func<Task> update, long count, JobActionKind kind)
    {
        try
        {
            await update().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "{Count} jobs were changed by a {Action} action, but updating the queue size counters failed; they are corrected by the next action or maintenance pass.", count, kind);
        }
    }

    /// <summary>
    /// With MRQ's queuesize counters, a job action changes how many jobs are queued or started per queue. The
    /// counters of the queues the action touched are recomputed from the job store, which is exact where a per-job
    /// decrement would drift.
    /// </summary>
    private async Task ReconcileSizesAsync(IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        if (_storage.SizeCounter is not { } counter)
        {
            return;
        }

        var deltas = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var queue in queues.Distinct())
        {
            var actual = await _storage.Jobs.CountAsync(new JobFilter { Queue = queue, Statuses = [JobStatus.Queued, JobStatus.Started] }, cancellationToken).ConfigureAwait(false);
            var current = await counter.GetAsync(queue, cancellationToken).ConfigureAwait(false);
            if (actual != current)
            {
                deltas[queue] = actual - current;
            }
        }

        if (deltas.Count > 0)
        {
            await counter.AdjustAsync(deltas, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<string>> SourceQueuesAsync(JobFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Queue is { } queue && !queue.EndsWith('/'))
        {
            return [queue];
        }

        if (filter.Ids is { Count: <= 1000 } ids)
        {
            // Named jobs: their own queues (one read), not every queue's name.
            var jobs = await _storage.Jobs.GetAsync(ids, cancellationToken).ConfigureAwait(false);
            return jobs.Select(j => j.Queue).Distinct(StringComparer.Ordinal).Where(filter.MatchesQueue).ToArray();
        }

        // The distinct queue names come from an index (one seek per queue), not from counting every job: this runs
        // before each maintenance requeue, and a count would read the whole job collection each time.
        // "root/" selects root itself and its subqueues: list the names starting with "root", then match.
        var prefix = filter.Queue is { } subqueues ? subqueues[..^1] : "";
        var queues = await _storage.Jobs.DistinctQueuesAsync(prefix, cancellationToken).ConfigureAwait(false);
        return queues.Where(filter.MatchesQueue).ToArray();
    }
}
