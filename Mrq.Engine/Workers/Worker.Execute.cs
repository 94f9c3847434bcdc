using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Context;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tasks;

namespace Mrq.Workers;

/// <summary>Executors: run claimed jobs with their context, timeout and abort, and hand outcomes to the batcher.</summary>
internal sealed partial class Worker
{
    private async Task ExecuteLoopAsync(CancellationToken stopping, CancellationToken aborting)
    {
        // Drains the channel to the end even when stopping: every claimed job is either run or released. Once a stop
        // is requested, jobs still waiting for a greenlet (claimed just before, or prefetched) are released.
        await foreach (var claimed in _channel!.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                var pending = stopping.IsCancellationRequested || aborting.IsCancellationRequested
                    ? Release(claimed)
                    : await ExecuteAsync(claimed, aborting).ConfigureAwait(false);
                await _batcher!.EnqueueAsync(pending).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Only a bug lands here; the job stays started and recovery requeues it.
                _logger.LogError(ex, "Executing job {JobId} failed unexpectedly.", claimed.Job.Id);
            }
            finally
            {
                _running.TryRemove(claimed.Job.Id, out _);
                Interlocked.Increment(ref _doneJobs);
                _slots!.Release();
            }
        }
    }

    /// <summary>Checkpoint 2 not reached: give the job back, keeping its place in the queue.</summary>
    private PendingOutcome Release(ClaimedJob claimed)
    {
        var job = claimed.Job;
        var outcome = claimed.Stored
            ? new JobOutcome { Id = job.Id, Worker = Id, DateStarted = job.DateStarted, Status = JobStatus.Queued, DateUpdated = Now, DateQueued = job.DateQueued }
            : null;
        return new PendingOutcome(outcome, job.Id, job.Queue, claimed.Raw is null, null, JobStatus.Queued);
    }

    private async Task<PendingOutcome> ExecuteAsync(ClaimedJob claimed, CancellationToken aborting)
    {
        var job = claimed.Job;
        var startTimestamp = _time.GetTimestamp();
        var options = _registry.OptionsFor(job.Path);
        var log = new JobLog(_jobLogger, _time);
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
                lockKey = await TryLockAsync(job, options).ConfigureAwait(false);
            }

            if (options.MaxConcurrency > 0 && lockKey is null)
            {
                result = ExecutionResult.Interrupted(JobStatus.MaxConcurrency, "MaxConcurrencyInterrupt",
                    $"Task {job.Path} already runs {options.MaxConcurrency} job(s) (max_concurrency).");
            }
            else
            {
                try
                {
                    result = await RunTaskAsync(job, registration, options, log, aborting).ConfigureAwait(false);
                }
                finally
                {
                    if (lockKey is not null)
                    {
                        await _storage.Locks.ReleaseAsync(lockKey, job.Id.ToString(), CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
        }

        var outcome = BuildOutcome(job, options, result, _time.GetElapsedTime(startTimestamp));
        var logs = log.TakeLines() is { } lines ? new LogBatch(job.Id, Id, lines) : null;
        var store = claimed.Stored || claimed.Raw is null || !claimed.Raw.StatusesNoStorage.Contains(outcome.Status);
        if (store && !claimed.Stored)
        {
            outcome = outcome with { InsertIfMissing = job };
        }

        return new PendingOutcome(store ? outcome : null, job.Id, job.Queue, claimed.Raw is null, store ? logs : null, outcome.Status);
    }

    private async Task<string?> TryLockAsync(JobRecord job, ResolvedTaskOptions options)
    {
        // MRQ's lock is c:<path> for max_concurrency 1; higher limits use that many numbered slots.
        var ttl = options.Timeout + TimeSpan.FromSeconds(5);
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

    private async Task<ExecutionResult> RunTaskAsync(JobRecord job, TaskRegistration registration, ResolvedTaskOptions options, JobLog log, CancellationToken aborting)
    {
        var scope = _scopes.CreateScope() as IAsyncDisposable ?? throw new InvalidOperationException("The service provider must create async-disposable scopes.");
        var services = ((IServiceScope)scope).ServiceProvider;
        using var timeout = new CancellationTokenSource(options.Timeout, _time);
        using var jobToken = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, aborting);
        var context = new JobContext(job, _runtime, this, services, log, jobToken.Token);
        _running[job.Id] = new RunningJob(job, context);
        var run = Task.Run(async () =>
        {
            JobContextAccessor.Current = context;
            var task = registration.Factory(context.Services);
            return await task.RunAsync(job.Params, context).ConfigureAwait(false);
        });

        ExecutionResult result;
        var abandoned = false;
        try
        {
            result = ExecutionResult.Success(await run.WaitAsync(jobToken.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (jobToken.IsCancellationRequested)
        {
            abandoned = !run.IsCompleted;
            result = aborting.IsCancellationRequested
                ? ExecutionResult.Interrupted(JobStatus.Interrupt, "JobInterrupt", "The worker was interrupted (SIGTERM or a second SIGINT) while the job ran.")
                : ExecutionResult.Interrupted(JobStatus.Timeout, "TimeoutInterrupt", $"The job ran past its timeout of {options.Timeout.TotalSeconds} s.");
        }
        catch (Exception ex)
        {
            result = ExecutionResult.Failed(ex);
        }

        // An interrupt recorded on the context wins even if the task caught the exception.
        if (result.Status is not (JobStatus.Timeout or JobStatus.Interrupt))
        {
            if (context.AbortRequested)
            {
                result = ExecutionResult.Interrupted(JobStatus.Abort, "AbortInterrupt", result.Exception?.ToString() ?? "The job was aborted.");
            }
            else if (context.RetryRequested is { } retry)
            {
                result = ExecutionResult.Retry(retry, result.Exception);
            }
        }

        result = result with { Progress = context.Progress };
        if (abandoned)
        {
            // The task ignores its token: it is left to finish on its own, observed so it cannot crash the process.
            _ = run.ContinueWith(static async (t, state) => await ((IAsyncDisposable)state!).DisposeAsync().ConfigureAwait(false), scope, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _logger.LogWarning("Job {JobId} ({Path}) did not stop at cancellation; saved as {Status} while its code still runs.", job.Id, job.Path, result.Status.ToMrqName());
        }
        else
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }

        return result;
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
        var original = result.Exception?.InnerException?.ToString();
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

        public static ExecutionResult Success(JsonNode? value) => new(JobStatus.Success, value, null, null, null, null);

        public static ExecutionResult Failed(Exception exception, string? exceptionType = null) =>
            new(JobStatus.Failed, null, exception, exceptionType ?? exception.GetType().Name, exception.ToString(), null);

        public static ExecutionResult Interrupted(JobStatus status, string exceptionType, string traceback) =>
            new(status, null, null, exceptionType, traceback, null);

        public static ExecutionResult Retry(RetryRequest request, Exception? exception) =>
            new(JobStatus.Retry, null, exception, "RetryInterrupt", exception?.ToString() ?? "The job asked to be retried.", request);
    }
}
