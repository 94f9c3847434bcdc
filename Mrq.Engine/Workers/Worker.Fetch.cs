using Microsoft.Extensions.Logging;
using Mrq.Configuration;
using Mrq.Diagnostics;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Workers;

/// <summary>The fetcher: claims as many jobs as the claim window has room for, by the dequeue strategy.</summary>
internal sealed partial class Worker
{
    private readonly Lock _queueGate = new();
    private IReadOnlyList<string> _expandedQueues = [];
    private DateTime _subqueuesRefreshedAt = DateTime.MinValue;

    // Raw subqueues this worker already tried to forget since the last subqueue refresh (fetch loop only).
    private readonly HashSet<string> _forgetTried = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _paused = new HashSet<string>();
    private DateTime _pausedRefreshedAt = DateTime.MinValue;
    private bool _pausedReadFailing;
    private int _rotation;

    private async Task<WorkerExitReason> FetchLoopAsync(CancellationToken stop)
    {
        var notifyRoots = Queues.Select(q => QueueNames.Root(StripReverse(q))).Distinct().ToArray();
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var remaining = _options.MaxJobs > 0 ? _options.MaxJobs - Interlocked.Read(ref _claimedCount) : long.MaxValue;
            if (remaining <= 0)
            {
                return WorkerExitReason.MaxJobs;
            }

            await ReleaseStrandedOwnClaimsAsync().ConfigureAwait(false);

            int want;
            try
            {
                want = await _window!.AcquireAsync(remaining, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (stop.IsCancellationRequested)
            {
                // Room freed at the same moment as the stop request: the stop wins, nothing new is claimed.
                _window.Release(want);
                break;
            }

            IReadOnlyList<ClaimedJob> claimed;
            var probe = TakeIdleProbe();
            try
            {
                var claimStarted = _claimAhead!.ClaimStarting();
                claimed = await ClaimAsync(want, stop).ConfigureAwait(false);
                _claimAhead.ClaimEnded(claimStarted);
                failures = 0;
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                probe?.TrySetResult(-1);
                _window.Release(want);
                _runtime.Metrics.StorageError("claim", ex);
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6))));
                EngineLog.ClaimFailed(_logger, ex, delay.TotalMilliseconds);
                await DelayQuietlyAsync(delay, stop).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                probe?.TrySetResult(-1);
                _window.Release(want);
                break;
            }

            if (want > claimed.Count)
            {
                _window.Release(want - claimed.Count);
            }

            // Greenlets still busy (running or handing over an outcome) count as taken, so a job counted for a free
            // greenlet never waits behind another.
            var freeGreenlets = _options.Greenlets - _running.Count;
            foreach (var job in claimed)
            {
                _running[job.Job.Id] = new RunningJob(job.Job, null);
                _channel!.Writer.TryWrite(job with { ForFreeGreenlet = freeGreenlets-- > 0 });
            }

            Interlocked.Add(ref _claimedCount, claimed.Count);
            if (claimed.Count == 0)
            {
                Interlocked.Increment(ref _emptyClaimPasses);
                if (_options.DequeueStrategy == DequeueStrategy.Burst)
                {
                    probe?.TrySetResult(0);
                    return WorkerExitReason.BurstDone;
                }

                _status = "wait";
                probe?.TrySetResult(0);
                if (BeginIdleWait(stop) is not { } wake)
                {
                    continue;
                }

                try
                {
                    await _storage.Notifier.WaitAsync(notifyRoots, TimeSpan.FromSeconds(_options.MaxLatency), wake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Woken by an idle probe: claim again now.
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (Exception ex)
                {
                    // Without wake-ups the worker still polls every max_latency.
                    EngineLog.NotificationWaitFailed(_logger, ex);
                    await DelayQuietlyAsync(TimeSpan.FromSeconds(Math.Min(_options.MaxLatency, 5)), wake.Token).ConfigureAwait(false);
                }
                finally
                {
                    EndIdleWait(wake);
                }
            }
            else
            {
                _status = _running.Count >= _options.Greenlets ? "full" : "wait";
                probe?.TrySetResult(claimed.Count);
            }
        }

        return WorkerExitReason.Stopped;
    }

    private async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int want, CancellationToken cancellationToken)
    {
        var queues = await ActiveQueuesAsync(cancellationToken).ConfigureAwait(false);
        var claimed = new List<ClaimedJob>(want);
        if (queues.Count == 0)
        {
            return claimed;
        }

        if (_options.DequeueStrategy == DequeueStrategy.Parallel && queues.Count > 1)
        {
            var start = Interlocked.Increment(ref _rotation);
            var share = Math.Max(1, want / queues.Count);
            for (var i = 0; i < queues.Count && claimed.Count < want; i++)
            {
                var queue = queues[(start + i) % queues.Count];
                if (!await TryClaimIntoAsync(claimed, queue, Math.Min(share, want - claimed.Count), cancellationToken).ConfigureAwait(false))
                {
                    return claimed;
                }
            }
        }

        foreach (var queue in queues)
        {
            if (claimed.Count >= want)
            {
                break;
            }

            if (!await TryClaimIntoAsync(claimed, queue, want - claimed.Count, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        return claimed;
    }

    /// <summary>
    /// Claims from one queue into <paramref name="claimed"/>. When it fails after other queues already gave jobs,
    /// those jobs must still be run (a claimed job is always run or released), so the error is logged and the
    /// round ends with what it has; with nothing claimed yet the error goes to the fetch loop's backoff.
    /// </summary>
    private async Task<bool> TryClaimIntoAsync(List<ClaimedJob> claimed, string queue, int count, CancellationToken cancellationToken)
    {
        try
        {
            claimed.AddRange(await ClaimFromQueueAsync(queue, count, cancellationToken).ConfigureAwait(false));
            return true;
        }
        catch (OperationCanceledException) when (claimed.Count > 0)
        {
            // A stop during the round: the jobs claimed so far go to the channel, where they run or are released.
            return false;
        }
        catch (Exception ex) when (claimed.Count > 0)
        {
            _runtime.Metrics.StorageError("claim", ex);
            EngineLog.ClaimFromQueueFailed(_logger, ex, queue, claimed.Count);
            return false;
        }
    }

    private async Task<IReadOnlyList<ClaimedJob>> ClaimFromQueueAsync(string queue, int count, CancellationToken cancellationToken)
    {
        if (QueueNames.IsRaw(queue))
        {
            return await PopRawAsync(queue, count, cancellationToken).ConfigureAwait(false);
        }

        var reverse = queue.EndsWith(QueueNames.ReverseSuffix, StringComparison.Ordinal);
        var request = new ClaimRequest(
            reverse ? StripReverse(queue) : queue,
            count,
            Id,
            Now,
            reverse,
            _options.TaskWhitelist.Count > 0 ? _options.TaskWhitelist.ToArray() : null,
            _options.TaskBlacklist.Count > 0 ? _options.TaskBlacklist.ToArray() : null);
        var jobs = await _storage.Jobs.ClaimAsync(request, cancellationToken).ConfigureAwait(false);
        if (jobs.Count > 0)
        {
            _runtime.Metrics.Dequeued(request.Queue, jobs.Count);
        }

        return jobs.Select(j => new ClaimedJob(j, Stored: true, Raw: null)).ToArray();
    }

    private async Task<IReadOnlyList<ClaimedJob>> PopRawAsync(string queue, int count, CancellationToken cancellationToken)
    {
        var root = QueueNames.Root(queue);
        var raw = _options.RawQueues[root];
        TimeSpan? pushback = raw.PushbackSeconds is > 0 ? TimeSpan.FromSeconds(raw.PushbackSeconds.Value) : null;
        var now = Now;
        var members = await _storage.RawQueues.PopAsync(queue, count, now, pushback, cancellationToken).ConfigureAwait(false);
        if (members.Count == 0)
        {
            await ForgetIfEmptyAsync(root, queue, cancellationToken).ConfigureAwait(false);
            return [];
        }

        _runtime.Metrics.Dequeued(queue, members.Count);
        var stored = !raw.StatusesNoStorage.Contains(JobStatus.Started);
        var claimed = new List<ClaimedJob>(members.Count);
        foreach (var member in members)
        {
            RawJob rawJob;
            Exception? error = null;
            try
            {
                rawJob = raw.JobFactory!(member);
            }
            catch (Exception ex)
            {
                rawJob = new RawJob($"{root}.job_factory", new System.Text.Json.Nodes.JsonObject { ["raw"] = member });
                error = ex;
            }

            var job = new JobRecord
            {
                Id = JobId.NewId(now),
                Path = rawJob.Path,
                Params = rawJob.Params,
                Queue = raw.RetryQueue,
                Status = JobStatus.Started,
                DateQueued = now,
                DateStarted = now,
                Worker = Id,
                RawQueue = queue,
            };
            claimed.Add(new ClaimedJob(job, stored, raw, error, member));
        }

        if (stored)
        {
            // A crash between the pop and this insert loses these members, as in MRQ (docs/queue-performance.md);
            // an insert that fails while the process lives gives them back to the raw queue instead.
            try
            {
                await _storage.Jobs.InsertAsync(claimed.Select(c => c.Job).ToArray(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (await PushBackAsync(queue, members).ConfigureAwait(false))
                {
                    _logger.LogWarning(ex, "Storing {Count} jobs popped from {Queue} failed; the members were pushed back.", members.Count, queue);
                }
                throw;
            }
        }

        return claimed;
    }

    /// <summary>
    /// MRQ's dequeue forgets a raw subqueue it finds empty, so workers stop discovering it; a push records it again.
    /// The store forgets it only if it is still empty. Tried once per subqueue between two subqueue refreshes (the
    /// worker keeps polling it until the next refresh anyway), so idle polls do not repeat the call.
    /// </summary>
    private async Task ForgetIfEmptyAsync(string root, string queue, CancellationToken cancellationToken)
    {
        if (root.Length == queue.Length || !_forgetTried.Add(queue))
        {
            return;
        }

        try
        {
            await _storage.RawQueues.ForgetSubqueueAsync(root, queue, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Housekeeping only: the subqueue stays known and is tried again after the next refresh.
            _forgetTried.Remove(queue);
            _logger.LogWarning(ex, "Forgetting the empty subqueue {Queue} failed.", queue);
        }
    }

    /// <summary>Gives raw members back to their queue (popped, but they will not run here); false (logged) when that failed.</summary>
    private async Task<bool> PushBackAsync(string queue, IReadOnlyList<string> members)
    {
        try
        {
            // Timed sets get them due now; sorted sets lose their original score (the pop does not return it).
            var score = QueueNames.RawType(queue) == RawQueueType.SortedSet ? 0 : (double?)null;
            await _storage.RawQueues.PushAsync(queue, members.Select(m => new RawQueueItem(m, score)).ToArray(), Now, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Pushing {Count} jobs popped from {Queue} back failed; these members are lost: {Members}",
                members.Count, queue, string.Join(", ", members.Take(20)));
            return false;
        }
    }

    /// <summary>The worker's queues with <c>queue/</c> expanded to known subqueues and paused queues left out.</summary>
    private async Task<IReadOnlyList<string>> ActiveQueuesAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        if (_options.PausedQueuesRefreshInterval > 0 && now - _pausedRefreshedAt >= TimeSpan.FromSeconds(_options.PausedQueuesRefreshInterval))
        {
            _pausedRefreshedAt = now;
            try
            {
                _paused = await _storage.QueueStates.GetPausedAsync(cancellationToken).ConfigureAwait(false);
                _pausedReadFailing = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The paused set lives in Redis while regular queues live in MongoDB: a Redis outage must not stop
                // them. The last known set stays in force, as in MRQ (its paused-queues greenlet keeps the old one).
                if (!_pausedReadFailing)
                {
                    _pausedReadFailing = true;
                    _logger.LogWarning(ex, "Reading the paused queues failed; the last known set ({Paused}) stays in force until a read succeeds.",
                        _paused.Count == 0 ? "none" : string.Join(" ", _paused));
                }
            }
        }

        if (_subqueuesRefreshedAt == DateTime.MinValue
            || (_options.SubqueuesRefreshInterval > 0 && now - _subqueuesRefreshedAt >= TimeSpan.FromSeconds(_options.SubqueuesRefreshInterval)))
        {
            var expanded = await ExpandSubqueuesAsync(discover: _options.SubqueuesRefreshInterval > 0, cancellationToken).ConfigureAwait(false);
            lock (_queueGate)
            {
                _expandedQueues = expanded;
            }

            _subqueuesRefreshedAt = now;
            _forgetTried.Clear();
        }

        var paused = _paused;
        return paused.Count == 0
            ? _expandedQueues
            : _expandedQueues.Where(q => !paused.Any(p => QueueNames.IsPausedBy(StripReverse(q), p))).ToArray();
    }

    private async Task<IReadOnlyList<string>> ExpandSubqueuesAsync(bool discover, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        foreach (var queue in Queues)
        {
            result.Add(queue);
            if (!discover || !QueueNames.HasSubqueues(queue))
            {
                continue;
            }

            var found = QueueNames.IsRaw(queue)
                ? await _storage.RawQueues.KnownSubqueuesAsync(QueueNames.Root(queue), cancellationToken).ConfigureAwait(false)
                : await _storage.Jobs.DistinctQueuesAsync(queue, cancellationToken).ConfigureAwait(false);
            result.AddRange(found.Where(q => q.StartsWith(queue, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }

        return result.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string StripReverse(string queue) =>
        queue.EndsWith(QueueNames.ReverseSuffix, StringComparison.Ordinal) ? queue[..^QueueNames.ReverseSuffix.Length] : queue;

    private static async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the wait.
        }
    }
}
