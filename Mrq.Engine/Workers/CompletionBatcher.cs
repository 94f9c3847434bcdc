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
/// recovery handles if the process dies.
/// </summary>
internal sealed class CompletionBatcher
{
    private const int MaxBatch = 512;
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);

    private readonly MrqStorage _storage;
    private readonly JobCompletionHub _completions;
    private readonly MrqMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<PendingOutcome> _channel;
    private readonly Task _loop;
    private readonly CancellationToken _giveUp;
    private readonly Dictionary<string, long> _pendingDeltas = new(StringComparer.Ordinal);

    public CompletionBatcher(MrqStorage storage, JobCompletionHub completions, MrqMetrics metrics, ILogger logger, int capacity, CancellationToken giveUp)
    {
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

            await SaveWithRetryAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }

        if (_pendingDeltas.Count > 0)
        {
            await AdjustSizesAsync(null).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Saves a batch in stages, each retried on its own, so a failure in a later stage never repeats an earlier one
    /// (a repeated outcome write would report "not applied" and skip its counter update).
    /// </summary>
    private async Task SaveWithRetryAsync(List<PendingOutcome> batch)
    {
        var outcomes = batch.Where(p => p.Outcome is not null).Select(p => p.Outcome!).ToArray();
        IReadOnlyList<bool>? applied = outcomes.Length == 0 ? [] : null;
        if (applied is null && !await RetryAsync(
                async () => applied = await _storage.Jobs.CompleteAsync(outcomes, CancellationToken.None).ConfigureAwait(false),
                $"Saving {outcomes.Length} job outcomes").ConfigureAwait(false))
        {
            _logger.LogError("Gave up saving {Count} job outcomes at shutdown; those jobs stay started and are requeued by recovery.", outcomes.Length);
            return;
        }

        var logs = batch.Where(p => p.Logs is not null).Select(p => p.Logs!).ToArray();
        if (logs.Length > 0)
        {
            await RetryAsync(() => _storage.Logs.AppendAsync(logs, CancellationToken.None).AsTask(), $"Saving the logs of {logs.Length} jobs").ConfigureAwait(false);
        }

        var deltas = SizeDeltas(batch, applied!);
        foreach (var pending in batch)
        {
            _metrics.JobEnded(pending.Status.ToMrqName());
            _completions.Signal(pending.JobId);
        }

        await AdjustSizesAsync(deltas).ConfigureAwait(false);

        foreach (var queue in batch.Where(p => p.Outcome is { Status: JobStatus.Queued }).Select(p => p.Outcome!.Queue ?? p.OriginalQueue).Distinct())
        {
            try
            {
                await _storage.Notifier.NotifyAsync(queue, 1, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Only a wake-up: workers find requeued jobs by polling too.
                _logger.LogWarning(ex, "Waking workers for requeued jobs on {Queue} failed.", queue);
            }
        }
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
            _logger.LogWarning(ex, "Updating queue size counters failed; the changes are kept for the next batch.");
            foreach (var (queue, delta) in deltas)
            {
                Add(_pendingDeltas, queue, delta);
            }
        }
    }

    /// <summary>Runs <paramref name="step"/> until it succeeds, backing off; false when give-up was requested and the last try failed.</summary>
    private async Task<bool> RetryAsync(Func<Task> step, string what)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await step().ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (!_giveUp.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "{What} failed; retrying in {Delay} ms.", what, backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, _giveUp).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Give-up was requested during the wait: one last attempt.
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "{What} failed at shutdown; giving up.", what);
                return false;
            }
        }
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

            if (!applied[index++] || !pending.CountsInQueueSize)
            {
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
