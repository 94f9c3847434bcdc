using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.Diagnostics;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Workers;

/// <summary>
/// Group-commits execution outcomes: executors hand outcomes over and go on; one loop saves everything waiting in
/// one <see cref="IJobStore.CompleteAsync"/> call, so while a save is in flight the next batch accumulates. The
/// channel is bounded, so a slow storage slows executors instead of growing memory. A failed save is retried
/// with backoff (a storage restart must not lose a result); the job stays <c>started</c> meanwhile, which
/// recovery handles if the process dies. Once give-up is requested (an abort past its deadline) nothing more is tried:
/// the outcomes not saved are never settled, so the worker can name them as it exits.
/// </summary>
internal sealed class CompletionBatcher
{
    private const int MaxBatch = 512;

    // What is left of a job's log when its stored batch is refused as too large.
    private const int TruncatedLogChars = 64 * 1024;
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);

    private readonly MrqStorage _storage;
    private readonly JobCompletionHub _completions;
    private readonly MrqMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<PendingOutcome> _channel;
    private readonly Task _loop;
    private readonly CancellationToken _giveUp;
    private readonly Dictionary<string, long> _pendingDeltas = new(StringComparer.Ordinal);
    private readonly Action<JobId> _settled;

    public CompletionBatcher(MrqStorage storage, JobCompletionHub completions, MrqMetrics metrics, ILogger logger, int capacity, Action<JobId> settled, CancellationToken giveUp)
    {
        // Called for each job once its outcome is saved (never for one given up on at shutdown).
        _settled = settled;
        _storage = storage;
        _completions = completions;
        _metrics = metrics;
        _logger = logger;
        _giveUp = giveUp;
        _channel = Channel.CreateBounded<PendingOutcome>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public ValueTask EnqueueAsync(PendingOutcome outcome) => _channel.Writer.WriteAsync(outcome, CancellationToken.None);

    /// <summary>Saves everything queued so far and stops.</summary>
    public async Task DrainAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingOutcome>(MaxBatch);
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _channel.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                if (await SaveWithRetryAsync(batch).ConfigureAwait(false))
                {
                    foreach (var pending in batch)
                    {
                        _settled(pending.JobId);
                    }
                }
            }
            finally
            {
                batch.Clear();
            }
        }

        if (_pendingDeltas.Count > 0)
        {
            await AdjustSizesAsync(null).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Saves a batch in stages, each retried on its own, so a failure in a later stage never repeats an earlier one
    /// (a repeated outcome write would report "not applied" and skip its counter update). False when give-up was
    /// requested before the outcomes were saved.
    /// </summary>
    private async Task<bool> SaveWithRetryAsync(List<PendingOutcome> batch)
    {
        var outcomes = batch.Where(p => p.Outcome is not null).Select(p => p.Outcome!).ToArray();
        IReadOnlyList<bool>? applied = outcomes.Length == 0 ? [] : null;
        if (applied is null)
        {
            var (saved, permanent) = await RetryAsync(
                async () => applied = await _storage.Jobs.CompleteAsync(outcomes, CancellationToken.None).ConfigureAwait(false),
                $"Saving {outcomes.Length} job outcomes").ConfigureAwait(false);
            if (permanent is not null)
            {
                applied = await SaveOneByOneAsync(outcomes).ConfigureAwait(false);
                saved = applied is not null;
            }

            if (!saved)
            {
                // The worker names every job it could not save as it exits (one message for all batches).
                return false;
            }
        }

        // The queuesize counters follow the outcomes at once, before the logs are saved: a reader that sees a job's
        // terminal status (MRQ's tests check the size right then) must not find it still counted.
        await AdjustSizesAsync(SizeDeltas(batch, applied!)).ConfigureAwait(false);

        var logs = batch.Where(p => p.Logs is not null).Select(p => p.Logs!).ToArray();
        if (logs.Length > 0)
        {
            await SaveLogsAsync(logs).ConfigureAwait(false);
        }

        foreach (var pending in batch)
        {
            _metrics.JobEnded(pending.Status.ToMrqName());
            _completions.Signal(pending.JobId);
        }

        foreach (var queue in batch.Where(p => p.Outcome is { Status: JobStatus.Queued }).Select(p => p.Outcome!.Queue ?? p.OriginalQueue).Distinct())
        {
            try
            {
                await _storage.Notifier.NotifyAsync(queue, 1, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Only a wake-up: workers find requeued jobs by polling too.
                EngineLog.WakeFailed(_logger, ex, queue);
            }
        }

        return true;
    }

    /// <summary>
    /// Applies queuesize deltas without holding up outcomes: when the counter store is unreachable (a Redis restart)
    /// the deltas are kept and added to the next batch's, so no decrement is lost and results keep being saved.
    /// </summary>
    private async Task AdjustSizesAsync(Dictionary<string, long>? deltas)
    {
        if (_pendingDeltas.Count > 0)
        {
            deltas ??= new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (queue, delta) in _pendingDeltas)
            {
                Add(deltas, queue, delta);
            }

            _pendingDeltas.Clear();
        }

        if (deltas is not { Count: > 0 })
        {
            return;
        }

        try
        {
            await _storage.SizeCounter!.AdjustAsync(deltas, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EngineLog.SizeCountersFailed(_logger, ex);
            foreach (var (queue, delta) in deltas)
            {
                Add(_pendingDeltas, queue, delta);
            }
        }
    }

    /// <summary>
    /// After a permanent error on a batch: saves each outcome alone (transient errors still retried), replacing one
    /// that cannot be stored by a <c>failed</c> outcome that can. Null when give-up was requested.
    /// </summary>
    private async Task<IReadOnlyList<bool>?> SaveOneByOneAsync(JobOutcome[] outcomes)
    {
        var applied = new bool[outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i];
            var index = i;
            var (saved, permanent) = await RetryAsync(
                async () => applied[index] = (await _storage.Jobs.CompleteAsync([outcome], CancellationToken.None).ConfigureAwait(false))[0],
                $"Saving the outcome of job {outcome.Id}").ConfigureAwait(false);
            if (permanent is not null)
            {
                var replacement = NotStorable(outcome, permanent);
                _logger.LogError(permanent, "The outcome of job {JobId} ({Status}) cannot be stored; it is saved failed ({ExceptionType}) instead.",
                    outcome.Id, outcome.Status.ToMrqName(), replacement.ExceptionType);
                (saved, permanent) = await RetryAsync(
                    async () => applied[index] = (await _storage.Jobs.CompleteAsync([replacement], CancellationToken.None).ConfigureAwait(false))[0],
                    $"Saving job {outcome.Id} failed").ConfigureAwait(false);
                if (permanent is not null)
                {
                    // Even the small failure outcome is refused: the job stays started and recovery requeues it.
                    _logger.LogError(permanent, "Saving job {JobId} failed was refused too; it stays started.", outcome.Id);
                    continue;
                }
            }

            if (!saved)
            {
                return null;
            }
        }

        return applied;
    }

    /// <summary>The outcome stored instead of one the storage refuses for good: failed, without the result.</summary>
    private static JobOutcome NotStorable(JobOutcome outcome, Exception error)
    {
        var tooLarge = outcome.Result is not null && outcome.Status == JobStatus.Success;
        var type = tooLarge ? "ResultTooLarge" : "OutcomeNotStorable";
        var traceback = tooLarge
            ? $"The job succeeded but its result could not be stored: {error.Message}"
            : $"The job ended {outcome.Status.ToMrqName()} but that outcome could not be stored: {error.Message}";
        return new JobOutcome
        {
            Id = outcome.Id,
            Worker = outcome.Worker,
            DateStarted = outcome.DateStarted,
            Status = JobStatus.Failed,
            DateUpdated = outcome.DateUpdated,
            TotalTime = outcome.TotalTime,
            Time = outcome.Time,
            Switches = outcome.Switches,
            DateExpires = outcome.DateExpires,
            ExceptionType = type,
            Traceback = traceback,
            TracebackEntry = new TracebackEntry(outcome.DateUpdated, JobStatus.Failed, type, traceback, null, outcome.Worker),
            InsertIfMissing = outcome.InsertIfMissing,
        };
    }

    /// <summary>Saves job logs; a batch refused for good is truncated once, then dropped with a warning.</summary>
    private async Task SaveLogsAsync(LogBatch[] logs)
    {
        var (_, permanent) = await RetryAsync(() => _storage.Logs.AppendAsync(logs, CancellationToken.None).AsTask(), $"Saving the logs of {logs.Length} jobs").ConfigureAwait(false);
        if (permanent is null)
        {
            return;
        }

        var truncated = logs.Select(l => l.Lines.Length <= TruncatedLogChars ? l
            : l with { Lines = l.Lines[..TruncatedLogChars] + "\n[log truncated: the storage refused it: " + permanent.Message + "]" }).ToArray();
        (_, permanent) = await RetryAsync(() => _storage.Logs.AppendAsync(truncated, CancellationToken.None).AsTask(), $"Saving the truncated logs of {logs.Length} jobs").ConfigureAwait(false);
        if (permanent is not null)
        {
            _logger.LogWarning(permanent, "The logs of {Count} jobs cannot be stored and were dropped: {Ids}", logs.Length, string.Join(", ", logs.Take(50).Select(l => l.Job)));
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> until it succeeds, backing off on errors that may pass. Saved is false when
    /// give-up was requested before it succeeded; Permanent is the error when the storage refuses the call for good.
    /// </summary>
    private async Task<(bool Saved, MrqStorageException? Permanent)> RetryAsync(Func<Task> step, string what)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (!_giveUp.IsCancellationRequested)
        {
            try
            {
                await step().ConfigureAwait(false);
                return (true, null);
            }
            catch (MrqStorageException ex) when (ex.IsPermanent)
            {
                return (false, ex);
            }
            catch (Exception ex) when (!_giveUp.IsCancellationRequested)
            {
                _metrics.StorageError("save", ex);
                EngineLog.SaveRetrying(_logger, what, ex.Message, backoff.TotalMilliseconds);
                EngineLog.SaveFailedDetail(_logger, ex, what);
                try
                {
                    await Task.Delay(backoff, _giveUp).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return (false, null);
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
            catch (Exception ex)
            {
                _metrics.StorageError("save", ex);
                _logger.LogDebug(ex, "{What} failed at shutdown; giving up.", what);
                return (false, null);
            }
        }

        return (false, null);
    }

    private Dictionary<string, long>? SizeDeltas(List<PendingOutcome> batch, IReadOnlyList<bool> applied)
    {
        if (_storage.SizeCounter is null)
        {
            return null;
        }

        Dictionary<string, long>? deltas = null;
        var index = 0;
        foreach (var pending in batch)
        {
            if (pending.Outcome is not { } outcome)
            {
                continue;
            }

            if (!applied[index++])
            {
                continue;
            }

            if (!pending.CountsInQueueSize)
            {
                // A raw queue's job is not counted, until a retry queues it on a regular queue (its retry_queue):
                // from then on it is, as MRQ's retry_count rule counts it.
                if (outcome.Status == JobStatus.Queued && (outcome.Queue ?? pending.OriginalQueue) is var retryQueue && !QueueNames.IsRaw(retryQueue))
                {
                    deltas ??= new Dictionary<string, long>(StringComparer.Ordinal);
                    Add(deltas, retryQueue, 1);
                }

                continue;
            }

            deltas ??= new Dictionary<string, long>(StringComparer.Ordinal);
            if (outcome.Status != JobStatus.Queued)
            {
                Add(deltas, pending.OriginalQueue, -1);
            }
            else if (outcome.Queue is { } moved && moved != pending.OriginalQueue)
            {
                Add(deltas, pending.OriginalQueue, -1);
                Add(deltas, moved, 1);
            }
        }

        return deltas;
    }

    private static void Add(Dictionary<string, long> deltas, string queue, long delta) =>
        deltas[queue] = deltas.GetValueOrDefault(queue) + delta;
}
