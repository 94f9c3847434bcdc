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
    }

    private async Task SaveWithRetryAsync(List<PendingOutcome> batch)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await SaveAsync(batch).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!_giveUp.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Saving {Count} job outcomes failed; retrying in {Delay} ms.", batch.Count, backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, _giveUp).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Give-up was requested during the wait: one last attempt below.
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Gave up saving {Count} job outcomes at shutdown; those jobs stay started and are requeued by maintenance.", batch.Count);
                return;
            }
        }
    }

    private async Task SaveAsync(List<PendingOutcome> batch)
    {
        var outcomes = new List<JobOutcome>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Outcome is not null)
            {
                outcomes.Add(pending.Outcome);
            }
        }

        IReadOnlyList<bool> applied = outcomes.Count == 0 ? [] : await _storage.Jobs.CompleteAsync(outcomes, CancellationToken.None).ConfigureAwait(false);

        var logs = batch.Where(p => p.Logs is not null).Select(p => p.Logs!).ToArray();
        if (logs.Length > 0)
        {
            await _storage.Logs.AppendAsync(logs, CancellationToken.None).ConfigureAwait(false);
        }

        Dictionary<string, long>? deltas = null;
        var index = 0;
        foreach (var pending in batch)
        {
            var wasApplied = pending.Outcome is null || applied[index++];
            if (wasApplied && pending.CountsInQueueSize && _storage.SizeCounter is not null && pending.Outcome is { } outcome)
            {
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

            _metrics.JobEnded(pending.Status.ToMrqName());
            _completions.Signal(pending.JobId);
        }

        if (deltas is { Count: > 0 })
        {
            await _storage.SizeCounter!.AdjustAsync(deltas, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var pending in batch)
        {
            if (pending.Outcome is { Status: JobStatus.Queued } requeued)
            {
                await _storage.Notifier.NotifyAsync(requeued.Queue ?? pending.OriginalQueue, 1, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static void Add(Dictionary<string, long> deltas, string queue, long delta) =>
        deltas[queue] = deltas.GetValueOrDefault(queue) + delta;
}
