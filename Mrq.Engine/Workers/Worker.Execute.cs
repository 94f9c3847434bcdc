using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Context;
using Mrq.Diagnostics;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tasks;

namespace Mrq.Workers;

/// <summary>Executors: run claimed jobs with their context, timeout and abort, and hand outcomes to the batcher.</summary>
internal sealed partial class Worker
{
    private async Task ExecuteLoopAsync(int greenlet, CancellationToken stopping, CancellationToken aborting)
    {
        // Drains the channel to the end even when stopping: every claimed job is either run or released. Once a
        // graceful stop is requested, jobs claimed for a free greenlet still run (MRQ runs what it dequeued; they are
        // stored started already) and jobs claimed ahead of the free greenlets (prefetch) are released; after an
        // abort every job not yet started is released.
        await foreach (var claimed in _channel!.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                PendingOutcome pending;
                try
                {
                    if (aborting.IsCancellationRequested || (stopping.IsCancellationRequested && !claimed.ForFreeGreenlet))
                    {
                        pending = await ReleaseAsync(claimed).ConfigureAwait(false);
                    }
                    else
                    {
                        _claimAhead!.Started(greenlet);
                        try
                        {
                            pending = await ExecuteAsync(claimed, aborting).ConfigureAwait(false);
                        }
                        finally
                        {
                            _claimAhead.Ended(greenlet);
                        }
                    }
                }
                catch (Exception ex)
                {
                    // Only a bug lands here (every storage call above handles its own errors): the job is given back
                    // rather than left started with nobody running it.
                    _logger.LogError(ex, "Executing job {JobId} failed unexpectedly; it is released to queued.", claimed.Job.Id);
                    pending = await ReleaseAsync(claimed).ConfigureAwait(false);
                }

                await HandOverAsync(pending).ConfigureAwait(false);
            }
            finally
            {
                _running.TryRemove(claimed.Job.Id, out _);
                Interlocked.Increment(ref _doneJobs);
                _window!.Release(1);
            }
        }
    }

    /// <summary>
    /// Checkpoint 2 not reached: give the job back, keeping its place in the queue. A raw job with no stored
    /// document goes back to its raw queue as the member it was popped as.
    /// </summary>
    private async Task<PendingOutcome> ReleaseAsync(ClaimedJob claimed)
    {
        var job = claimed.Job;
        JobOutcome? outcome = null;
        if (claimed.Stored)
        {
            outcome = new JobOutcome { Id = job.Id, Worker = Id, DateStarted = job.DateStarted, Status = JobStatus.Queued, DateUpdated = Now, DateQueued = job.DateQueued };
        }
        else if (claimed.Member is { } member && job.RawQueue is { } rawQueue && await PushBackAsync(rawQueue, [member]).ConfigureAwait(false))
        {
            _logger.LogInformation("Job {JobId} popped from {Queue} was not started; its member was pushed back.", job.Id, rawQueue);
        }

        return new PendingOutcome(outcome, job.Id, job.Queue, claimed.Raw is null, null, JobStatus.Queued);
    }

    private async Task<PendingOutcome> ExecuteAsync(ClaimedJob claimed, CancellationToken aborting)
    {
        var job = claimed.Job;
        using var telemetry = JobRunTelemetry.Start(_runtime.Metrics, job, Id, Now);
        var startTimestamp = _time.GetTimestamp();
        var options = _registry.OptionsFor(job.Path);
        var log = new JobLog(_jobLogger, _time, _options.MaxJobLogChars, _logFormat);
        ExecutionResult result;
        if (claimed.FactoryError is { } factoryError)
        {
            result = ExecutionResult.Failed(factoryError);
        }
        else if (!_registry.TryGet(job.Path, out var registration))
        {
            var notFound = new TaskNotFoundException(job.Path, _registry.Paths);
            result = ExecutionResult.Failed(notFound, "TaskNotFound");
        }
        else
        {
            string? lockKey = null;
            if (options.MaxConcurrency > 0)
            {
                try
                {
                    lockKey = await TryLockAsync(job, options).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The job has not run: give it back (compare-and-set on the claim), as if the claim had failed.
                    _logger.LogWarning(ex, "Taking the max_concurrency lock for job {JobId} ({Path}) failed; the job is released to queued.", job.Id, job.Path);
                    return await ReleaseAsync(claimed).ConfigureAwait(false);
                }
            }

            if (options.MaxConcurrency > 0 && lockKey is null)
            {
                result = ExecutionResult.Interrupted(JobStatus.MaxConcurrency, "MaxConcurrencyInterrupt",
                    $"Task {job.Path} already runs {options.MaxConcurrency} job(s) (max_concurrency).");
            }
            else
            {
                Task? stillRunning = null;
                try
                {
                    (result, stillRunning) = await RunTaskAsync(job, registration, options, log, aborting).ConfigureAwait(false);
                }
                finally
                {
                    if (lockKey is not null && stillRunning is null)
                    {
                        await ReleaseLockAsync(lockKey, job).ConfigureAwait(false);
                    }
                    else if (lockKey is not null)
                    {
                        _ = HoldLockWhileRunningAsync(lockKey, job, LockTtl(options), stillRunning!);
                    }
                }
            }
        }

        var outcome = BuildOutcome(job, options, result, _time.GetElapsedTime(startTimestamp));
        telemetry.Ended(outcome, result.Exception);
        LogEnding(job, outcome, result.Exception);
        var logs = log.TakeLines() is { } lines && _options.StoreLogs ? new LogBatch(job.Id, Id, lines) : null;
        var store = claimed.Stored || claimed.Raw is null || !claimed.Raw.StatusesNoStorage.Contains(outcome.Status);
        if (store && !claimed.Stored)
        {
            outcome = outcome with { InsertIfMissing = job };
        }

        return new PendingOutcome(store ? outcome : null, job.Id, job.Queue, claimed.Raw is null, store ? logs : null, outcome.Status);
    }

    // MRQ's lock lives for the task's timeout + 5 s, so a crashed worker's lock frees itself.
    private static TimeSpan LockTtl(ResolvedTaskOptions options) => options.Timeout + TimeSpan.FromSeconds(5);

    private async Task<string?> TryLockAsync(JobRecord job, ResolvedTaskOptions options)
    {
        // MRQ's lock is c:<path> for max_concurrency 1; higher limits use that many numbered slots.
        var ttl = LockTtl(options);
        for (var slot = 0; slot < options.MaxConcurrency; slot++)
        {
            var key = slot == 0 ? "c:" + job.Path : $"c:{job.Path}:{slot}";
            if (await _storage.Locks.TryAcquireAsync(key, job.Id.ToString(), ttl, CancellationToken.None).ConfigureAwait(false))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>Releases a max_concurrency lock; a failure is only logged, since the lock expires by its time to live.</summary>
    private async Task ReleaseLockAsync(string key, JobRecord job)
    {
        try
        {
            await _storage.Locks.ReleaseAsync(key, job.Id.ToString(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Releasing the max_concurrency lock {Key} of job {JobId} failed; it expires by itself.", key, job.Id);
        }
    }

    /// <summary>
    /// An abandoned task (it ignored its token) still runs its code: keep its max_concurrency lock, extended every
    /// third of its time to live, and release it only when that code really ends, so no other job of the path
    /// starts alongside it.
    /// </summary>
    private async Task HoldLockWhileRunningAsync(string key, JobRecord job, TimeSpan ttl, Task running)
    {
        using var timer = new PeriodicTimer(ttl / 3, _time);
        while (true)
        {
            var tick = timer.WaitForNextTickAsync(CancellationToken.None).AsTask();
            if (await Task.WhenAny(running, tick).ConfigureAwait(false) == running)
            {
                break;
            }

            try
            {
                if (!await _storage.Locks.ExtendAsync(key, job.Id.ToString(), ttl, CancellationToken.None).ConfigureAwait(false))
                {
                    _logger.LogWarning("The max_concurrency lock {Key} of abandoned job {JobId} expired or was taken while its code still runs.", key, job.Id);
                }
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Extending the max_concurrency lock {Key} of abandoned job {JobId} failed; next try in {Interval} s.", key, job.Id, (ttl / 3).TotalSeconds);
            }
        }

        await ReleaseLockAsync(key, job).ConfigureAwait(false);
    }

    /// <summary>Runs the task; the returned task is non-null when the task ignored its token and its code still runs.</summary>
    private async Task<(ExecutionResult Result, Task? StillRunning)> RunTaskAsync(JobRecord job, TaskRegistration registration, ResolvedTaskOptions options, JobLog log, CancellationToken aborting)
    {
        var scope = _scopes.CreateScope() as IAsyncDisposable ?? throw new InvalidOperationException("The service provider must create async-disposable scopes.");
        var services = ((IServiceScope)scope).ServiceProvider;
        using var timeout = new CancellationTokenSource(options.Timeout, _time);
        using var cancelWatch = WatchCancel(job.Id);
        using var jobToken = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, aborting, cancelWatch.Token);
        var context = new JobContext(job, _runtime, this, services, log, jobToken.Token);
        _running[job.Id] = new RunningJob(job, context);
        // MRQ's trace_greenlets (time in the greenlet, switches): .NET accounts no CPU per async flow, so time is the
        // wall time of the task's first synchronous segment (up to its first pending await, an upper bound of its CPU
        // there) and switches counts the start plus one resumption when it awaited.
        double? segmentSeconds = null;
        var switches = 1;
        var run = Task.Run(async () =>
        {
            JobContextAccessor.Current = context;
            var task = registration.Factory(context.Services);
            var segmentStart = Stopwatch.GetTimestamp();
            var pending = task.RunAsync(job.Params, context);
            segmentSeconds = Stopwatch.GetElapsedTime(segmentStart).TotalSeconds;
            switches = pending.IsCompleted ? 1 : 2;
            return await pending.ConfigureAwait(false);
        });

        ExecutionResult result;
        var abandoned = false;
        try
        {
            result = ExecutionResult.Success(await run.WaitAsync(jobToken.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (jobToken.IsCancellationRequested)
        {
            // A cooperative task needs a moment to observe its token and run its finally blocks: only a task still
            // running after that grace is abandoned.
            abandoned = !await EndsWithinGraceAsync(run).ConfigureAwait(false);
            result = aborting.IsCancellationRequested
                ? ExecutionResult.Interrupted(JobStatus.Interrupt, "JobInterrupt", "The worker was interrupted (SIGTERM or a second SIGINT) while the job ran.")
                : cancelWatch.Cancelled
                    ? ExecutionResult.Interrupted(JobStatus.Cancel, "CancelInterrupt", "The job was cancelled while it ran.")
                    : ExecutionResult.Interrupted(JobStatus.Timeout, "TimeoutInterrupt", $"The job ran past its timeout of {options.Timeout.TotalSeconds} s.");
        }
        catch (Exception ex)
        {
            result = ExecutionResult.Failed(ex);
        }

        // An interrupt recorded on the context wins even if the task caught the exception.
        if (result.Status is not (JobStatus.Timeout or JobStatus.Interrupt or JobStatus.Cancel))
        {
            if (context.AbortRequested)
            {
                result = ExecutionResult.Interrupted(JobStatus.Abort, "AbortInterrupt", result.Exception?.ToString() ?? "The job was aborted.");
            }
            else if (context.RetryRequested is { } retry)
            {
                result = ExecutionResult.Retry(retry, result.Exception);
            }
            else if (result is { Status: JobStatus.Failed, Exception: { } error } && options.AutoRetry is { } policy && policy.Retries(error))
            {
                // The task's automatic retry policy: retried as RetryCurrentJob would, the wait growing per retry.
                var delay = policy.DelayFor(job.RetryCount, Random.Shared.NextDouble());
                result = ExecutionResult.Retry(new RetryRequest(delay, null, null), error) with { ExceptionType = error.GetType().Name };
            }
        }

        result = result with
        {
            OriginalTraceback = context.InterruptCause?.ToString(),
            Progress = context.Progress,
            GreenletTime = _options.TraceGreenlets ? segmentSeconds ?? 0 : null,
            Switches = _options.TraceGreenlets ? switches : null,
        };
        if (abandoned)
        {
            // The task ignores its token: it is left to finish on its own, observed so it cannot crash the process.
            _ = run.ContinueWith(static async (t, state) => await ((IAsyncDisposable)state!).DisposeAsync().ConfigureAwait(false), scope, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _logger.LogWarning("Job {JobId} ({Path}) did not stop within {Grace} s of its cancellation; saved as {Status} while its code still runs.",
                job.Id, job.Path, _options.AbandonGrace, result.Status.ToMrqName());
            log.LogWarning("The job did not stop within {Grace} s of its cancellation ({Status}): its code still runs in worker {Worker}.",
                _options.AbandonGrace, result.Status.ToMrqName(), Id);
            return (result, run);
        }

        await scope.DisposeAsync().ConfigureAwait(false);
        return (result, null);
    }

    private async Task<bool> EndsWithinGraceAsync(Task run)
    {
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(_options.AbandonGrace), _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return run.IsCompleted;
        }
        catch (Exception)
        {
            // The task ended with its own error (usually the cancellation): it stopped, which is all that counts here.
        }

        return true;
    }

    private void LogEnding(JobRecord job, JobOutcome outcome, Exception? exception)
    {
        var status = outcome.Status.ToMrqName();
        switch (outcome.Status)
        {
            case JobStatus.Success:
                return;
            case JobStatus.Failed or JobStatus.MaxRetries:
                WorkerLog.JobFailed(_endingLogger, job.Id.ToString(), job.Path, status, outcome.ExceptionType, exception);
                return;
            case JobStatus.Retry or JobStatus.Queued:
                WorkerLog.JobRetried(_endingLogger, job.Id.ToString(), job.Path, outcome.ExceptionType);
                return;
            default:
                WorkerLog.JobInterrupted(_endingLogger, job.Id.ToString(), job.Path, status, outcome.ExceptionType);
                return;
        }
    }

    private JobOutcome BuildOutcome(JobRecord job, ResolvedTaskOptions options, ExecutionResult result, TimeSpan elapsed)
    {
        var now = Now;
        var outcome = new JobOutcome
        {
            Id = job.Id,
            Worker = Id,
            DateStarted = job.DateStarted,
            Status = result.Status,
            DateUpdated = now,
            TotalTime = elapsed.TotalSeconds,
            DateExpires = job.DateQueued + options.DefaultTtl,
            Time = result.GreenletTime,
            Switches = result.Switches,
        };
        switch (result.Status)
        {
            case JobStatus.Success:
                return outcome with
                {
                    Result = result.Value,
                    DateExpires = now + options.ResultTtl,
                    Progress = result.Progress is null ? null : 1,
                };
            case JobStatus.Abort:
                return WithTraceback(outcome with { DateExpires = now + options.AbortTtl }, result, now);
            case JobStatus.Retry:
                return BuildRetry(job, options, result, outcome, now);
            default:
                return WithTraceback(outcome with { Progress = result.Progress }, result, now);
        }
    }

    private JobOutcome BuildRetry(JobRecord job, ResolvedTaskOptions options, ExecutionResult result, JobOutcome outcome, DateTime now)
    {
        var request = result.RetryRequest!;
        var maxRetries = request.MaxRetries ?? options.MaxRetries;
        if (job.RetryCount >= maxRetries)
        {
            return WithTraceback(outcome with { Status = JobStatus.MaxRetries }, result with { ExceptionType = "MaxRetriesInterrupt" }, now);
        }

        var delay = request.Delay ?? options.RetryDelay;
        var retried = outcome with { Queue = request.Queue ?? job.Queue, RetryCount = job.RetryCount + 1 };
        retried = delay <= TimeSpan.Zero
            ? retried with { Status = JobStatus.Queued, DateQueued = now, DateExpires = now + options.DefaultTtl }
            : retried with { DateRetry = now + delay };
        return WithTraceback(retried, result, now);
    }

    private JobOutcome WithTraceback(JobOutcome outcome, ExecutionResult result, DateTime now)
    {
        var traceback = result.Traceback ?? string.Empty;
        var original = result.OriginalTraceback ?? result.Exception?.InnerException?.ToString();
        return outcome with
        {
            ExceptionType = result.ExceptionType,
            Traceback = traceback,
            TracebackEntry = new TracebackEntry(now, outcome.Status, result.ExceptionType ?? "Exception", traceback, original, Id),
        };
    }

    /// <summary>How an execution ended, before it is turned into stored fields.</summary>
    private sealed record ExecutionResult(JobStatus Status, JsonNode? Value, Exception? Exception, string? ExceptionType, string? Traceback, RetryRequest? RetryRequest)
    {
        public double? Progress { get; init; }

        public string? OriginalTraceback { get; init; }

        public double? GreenletTime { get; init; }

        public int? Switches { get; init; }

        public static ExecutionResult Success(JsonNode? value) => new(JobStatus.Success, value, null, null, null, null);

        public static ExecutionResult Failed(Exception exception, string? exceptionType = null) =>
            new(JobStatus.Failed, null, exception, exceptionType ?? exception.GetType().Name, TracebackText.Of(exception), null);

        public static ExecutionResult Interrupted(JobStatus status, string exceptionType, string traceback) =>
            new(status, null, null, exceptionType, traceback, null);

        public static ExecutionResult Retry(RetryRequest request, Exception? exception) =>
            new(JobStatus.Retry, null, exception, "RetryInterrupt", exception?.ToString() ?? "The job asked to be retried.", request);
    }
}
