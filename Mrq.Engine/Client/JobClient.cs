using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Configuration;
using Mrq.Diagnostics;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tasks;

namespace Mrq.Client;

/// <summary>The <see cref="IJobClient"/> over the configured storage.</summary>
internal sealed partial class JobClient : IJobClient
{
    private static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(500);

    private readonly MrqStorage _storage;
    private readonly TaskRegistry _registry;
    private readonly MrqOptions _options;
    private readonly TimeProvider _time;
    private readonly MrqMetrics _metrics;
    private readonly JobCompletionHub _completions;
    private readonly ILogger _logger;

    public JobClient(MrqStorage storage, TaskRegistry registry, IOptions<MrqOptions> options, TimeProvider time, MrqMetrics metrics, JobCompletionHub completions, ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger("Mrq.Client");
        _storage = storage;
        _registry = registry;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _completions = completions;
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public Task<JobId> QueueJobAsync(string path, JsonObject? parameters = null, string? queue = null, CancellationToken cancellationToken = default) =>
        QueueJobAsync(path, parameters, new QueueJobOptions { Queue = queue }, cancellationToken);

    public async Task<JobId> QueueJobAsync(string path, JsonObject? parameters, QueueJobOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = Now;
        var due = options.DueAt(now);
        var target = ValidatedTarget(path, options.Queue);
        if (options.UniqueKey is { } given && string.IsNullOrWhiteSpace(given))
        {
            throw new ArgumentException("The unique key must not be empty.", nameof(options));
        }

        parameters ??= [];
        var taskOptions = _registry.OptionsFor(path);
        var uniqueKey = options.UniqueKey ?? (taskOptions.UniqueParams is { } unique ? UniqueJobs.KeyOf(path, parameters, unique) : null);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var job = due is { } dueAt
            ? JobRecord.NewDelayed(path, parameters, target, now, dueAt, dueAt + taskOptions.DefaultTtl)
            : JobRecord.NewQueued(path, parameters, target, now);
        job.UniqueKey = uniqueKey;
        var holder = job.Id;
        await JobTracing.SendAsync(target, [job], async jobs =>
        {
            if (uniqueKey is null)
            {
                await _storage.Jobs.InsertAsync(jobs, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                holder = await _storage.Jobs.InsertUniqueAsync(job, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        if (holder != job.Id)
        {
            // The key is held: the existing job's id, nothing stored.
            return holder;
        }

        _metrics.Enqueued(target, 1);

        // A delayed job is not queued yet: no queuesize count and no wake-up now; workers requeue it when due.
        if (due is null)
        {
            await AfterEnqueueAsync(target, 1, _storage.SizeCounter is not null).ConfigureAwait(false);
        }

        return job.Id;
    }

    public async Task<IReadOnlyList<JobId>> QueueJobsAsync(string path, IEnumerable<JsonObject> parametersList, string? queue = null, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parametersList);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var target = ValidatedTarget(path, queue);
        if (_registry.OptionsFor(path).UniqueParams is not null)
        {
            // Each job of a task with a unique rule is checked against the jobs holding its key, one at a time.
            return await QueueUniqueJobsAsync(path, parametersList, target, cancellationToken).ConfigureAwait(false);
        }

        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<JobId>();
        var batch = new List<JobRecord>(Math.Min(batchSize, 4096));
        foreach (var parameters in parametersList)
        {
            ArgumentNullException.ThrowIfNull(parameters, nameof(parametersList));
            batch.Add(JobRecord.NewQueued(path, parameters, target, Now));
            if (batch.Count == batchSize)
            {
                await InsertBatchAsync(batch, target, ids, cancellationToken).ConfigureAwait(false);
            }
        }

        if (batch.Count > 0)
        {
            await InsertBatchAsync(batch, target, ids, cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }

    private async Task<IReadOnlyList<JobId>> QueueUniqueJobsAsync(string path, IEnumerable<JsonObject> parametersList, string queue, CancellationToken cancellationToken)
    {
        var ids = new List<JobId>();
        var options = new QueueJobOptions { Queue = queue };
        foreach (var parameters in parametersList)
        {
            ArgumentNullException.ThrowIfNull(parameters, nameof(parametersList));
            ids.Add(await QueueJobAsync(path, parameters, options, cancellationToken).ConfigureAwait(false));
        }

        return ids;
    }

    /// <summary>The regular queue a job of <paramref name="path"/> goes to, checked.</summary>
    private string ValidatedTarget(string path, string? queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = queue ?? _registry.OptionsFor(path).Queue;
        QueueNames.Validate(target, nameof(queue));
        if (QueueNames.IsRaw(target))
        {
            throw new ArgumentException($"'{target}' is a raw queue; use QueueRawJobsAsync for raw queues.", nameof(queue));
        }

        return target;
    }

    private async Task InsertBatchAsync(List<JobRecord> batch, string queue, List<JobId> ids, CancellationToken cancellationToken)
    {
        await JobTracing.SendAsync(queue, batch.ToArray(), jobs => _storage.Jobs.InsertAsync(jobs, cancellationToken)).ConfigureAwait(false);
        foreach (var job in batch)
        {
            ids.Add(job.Id);
        }

        _metrics.Enqueued(queue, batch.Count);
        var count = batch.Count;
        batch.Clear();

        // The jobs are stored: from here on a failure must not surface as a failed enqueue, or callers would queue them twice.
        await AfterEnqueueAsync(queue, count, _storage.SizeCounter is not null).ConfigureAwait(false);
    }

    /// <summary>
    /// Best-effort bookkeeping after jobs are stored: MRQ's queuesize counter and the wake-up of idle workers. Both
    /// only speed things up or inform monitoring (workers also poll every max_latency), so a failure is logged.
    /// </summary>
    private async Task AfterEnqueueAsync(string queue, int count, bool countSize)
    {
        try
        {
            if (countSize)
            {
                await _storage.SizeCounter!.AdjustAsync(new Dictionary<string, long> { [queue] = count }, CancellationToken.None).ConfigureAwait(false);
            }

            await _storage.Notifier.NotifyAsync(queue, count, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "{Count} jobs were queued on {Queue}, but updating its size counter or waking workers failed; workers will find them by polling.", count, queue);
        }
    }

    public Task QueueRawJobsAsync(string queue, IEnumerable<string> members, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (QueueNames.RawType(queue) == RawQueueType.SortedSet)
        {
            throw new ArgumentException($"'{queue}' is a sorted set: give each member a score.", nameof(queue));
        }

        return PushRawAsync(queue, members.Select(m => new RawQueueItem(m)), batchSize, cancellationToken);
    }

    public Task QueueRawJobsAsync(string queue, IEnumerable<KeyValuePair<string, double>> scoredMembers, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scoredMembers);
        var type = QueueNames.RawType(queue);
        if (type is not (RawQueueType.SortedSet or RawQueueType.TimedSet))
        {
            throw new ArgumentException($"'{queue}' is not a sorted or timed set: scores only apply to _sorted_set and _timed_set queues.", nameof(queue));
        }

        return PushRawAsync(queue, scoredMembers.Select(p => new RawQueueItem(p.Key, p.Value)), batchSize, cancellationToken);
    }

    private async Task PushRawAsync(string queue, IEnumerable<RawQueueItem> items, int batchSize, CancellationToken cancellationToken)
    {
        QueueNames.Validate(queue, nameof(queue));
        if (!QueueNames.IsRaw(queue))
        {
            throw new ArgumentException($"'{queue}' is not a raw queue (suffix _raw, _set, _sorted_set or _timed_set); use QueueJobsAsync.", nameof(queue));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in items.Chunk(batchSize))
        {
            await JobTracing.SendRawAsync(queue, chunk.Length, () => _storage.RawQueues.PushAsync(queue, chunk, Now, cancellationToken)).ConfigureAwait(false);
            _metrics.Enqueued(queue, chunk.Length);
            await AfterEnqueueAsync(queue, chunk.Length, countSize: false).ConfigureAwait(false);
        }
    }

    public async Task<JobRecord?> GetJobAsync(JobId id, CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var jobs = await _storage.Jobs.GetAsync([id], cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    public async Task<JobResult?> GetJobResultAsync(JobId id, CancellationToken cancellationToken = default) =>
        await GetJobAsync(id, cancellationToken).ConfigureAwait(false) is { } job ? new JobResult(job.Status, job.Result) : null;

    public async Task<JobResult> WaitAsync(JobId id, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var timeoutCts = timeout is { } t ? new CancellationTokenSource(t, _time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancellationToken);
        var poll = TimeSpan.FromMilliseconds(5);
        try
        {
            while (true)
            {
                // Subscribe before reading, so a completion between the read and the wait is not missed.
                var signal = _completions.WaitAsync(id);
                var job = await GetJobAsync(id, linked.Token).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No job with id {id}.");
                if (job.Status is not (JobStatus.Queued or JobStatus.Started))
                {
                    return new JobResult(job.Status, job.Result);
                }

                try
                {
                    await signal.WaitAsync(poll, _time, linked.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, s_maxPoll.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Job {id} did not finish within {timeout}.");
        }
        finally
        {
            _completions.Forget(id);
        }
    }
}
