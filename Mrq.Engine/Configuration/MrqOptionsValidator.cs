using Microsoft.Extensions.Options;

namespace Mrq.Configuration;

/// <summary>Rejects invalid options at start with one message listing every problem.</summary>
internal sealed class MrqOptionsValidator : IValidateOptions<MrqOptions>
{
    public ValidateOptionsResult Validate(string? name, MrqOptions options) => Errors(options) is { Count: > 0 } errors
        ? ValidateOptionsResult.Fail(errors)
        : ValidateOptionsResult.Success;

    /// <summary>The problems of <paramref name="options"/>, empty when valid.</summary>
    public static List<string> Errors(MrqOptions options)
    {
        var errors = new List<string>();
        if (options.Greenlets < 1) errors.Add($"greenlets must be at least 1 (got {options.Greenlets}).");
        if (options.Prefetch < 0) errors.Add($"prefetch must be 0 or more (got {options.Prefetch}).");
        if (options.MaxJobs < 0) errors.Add($"max_jobs must be 0 (no limit) or positive (got {options.MaxJobs}).");
        if (options.MaxTime < 0) errors.Add($"max_time must be 0 (no limit) or positive (got {options.MaxTime}).");
        if (options.MaxLatency <= 0) errors.Add($"max_latency must be positive (got {options.MaxLatency}).");
        if (options.ReportInterval <= 0) errors.Add($"report_interval must be positive (got {options.ReportInterval}).");
        if (options.AbandonGrace < 0) errors.Add($"abandon_grace must not be negative (got {options.AbandonGrace}).");
        if (options.AbortTimeout <= 0) errors.Add($"abort_timeout must be positive (got {options.AbortTimeout}).");
        if (options.MaintenanceLockTtl < 1) errors.Add($"maintenance_lock_ttl must be at least 1 s (got {options.MaintenanceLockTtl}).");
        if (options.OwnClaimsCheckInterval < 0) errors.Add($"own_claims_check_interval must not be negative (got {options.OwnClaimsCheckInterval}).");
        if (options.MaxJobLogChars < 1) errors.Add($"max_job_log_chars must be at least 1 (got {options.MaxJobLogChars}).");
        if (options.SubqueuesRefreshInterval < 0) errors.Add("subqueues_refresh_interval must not be negative.");
        if (options.PausedQueuesRefreshInterval < 0) errors.Add("paused_queues_refresh_interval must not be negative.");
        if (options.MaintenanceInterval <= 0) errors.Add("maintenance_interval must be positive.");
        if (options.ShutdownTimeout < 0) errors.Add("shutdown_timeout must not be negative.");
        if (options.WorkerLease <= 0) errors.Add($"worker_lease must be positive (got {options.WorkerLease}).");
        if (options.MaxLost < 1) errors.Add($"max_lost must be at least 1 (got {options.MaxLost}).");
        if (options.SchedulerInterval <= 0 || !double.IsFinite(options.SchedulerInterval)) errors.Add($"scheduler_interval must be positive (got {options.SchedulerInterval}).");
        errors.AddRange(Scheduling.ScheduleValidation.Errors(options.SchedulerTasks));
        if (options.MaxMemory < 0) errors.Add($"max_memory must be 0 (no limit) or positive (got {options.MaxMemory}).");
        if (options.WorkerId.Length > 0 && !Jobs.JobId.TryParse(options.WorkerId, out _)) errors.Add($"worker_id must be 24 hex characters (got '{options.WorkerId}').");
        try
        {
            Context.JobLogFormat.Parse(options.LogFormat);
        }
        catch (FormatException ex)
        {
            errors.Add(ex.Message);
        }

        foreach (var queue in options.Queues)
        {
            if (string.IsNullOrWhiteSpace(queue)) errors.Add("queues must not contain an empty name.");
        }

        CheckTask("default_job", new TaskOptions
        {
            Timeout = options.DefaultJobTimeout, MaxRetries = options.DefaultJobMaxRetries, RetryDelay = options.DefaultJobRetryDelay,
            ResultTtl = options.DefaultJobResultTtl, AbortTtl = options.DefaultJobAbortTtl, CancelTtl = options.DefaultJobCancelTtl,
            DefaultTtl = options.DefaultJobTtl,
        }, errors);
        foreach (var (path, task) in options.Tasks)
        {
            CheckTask($"tasks.{path}", task, errors);
        }

        foreach (var (queue, raw) in options.RawQueues)
        {
            if (!Storage.QueueNames.IsRaw(queue)) errors.Add($"raw_queues.{queue}: not a raw queue name (suffix _raw, _set, _sorted_set or _timed_set).");
            if (raw.PushbackSeconds is < 0) errors.Add($"raw_queues.{queue}.pushback_seconds must not be negative.");
        }

        return errors;
    }

    private static void CheckTask(string name, TaskOptions task, List<string> errors)
    {
        if (task.Timeout is <= 0) errors.Add($"{name} timeout must be positive (got {task.Timeout}).");
        if (task.MaxRetries is < 0) errors.Add($"{name} max_retries must not be negative (got {task.MaxRetries}).");
        if (task.RetryDelay is < 0) errors.Add($"{name} retry_delay must not be negative (got {task.RetryDelay}).");
        if (task.ResultTtl is < 0 || task.AbortTtl is < 0 || task.CancelTtl is < 0 || task.DefaultTtl is < 0)
        {
            errors.Add($"{name} ttl values must not be negative.");
        }

        if (task.MaxConcurrency is < 0) errors.Add($"{name} max_concurrency must not be negative (got {task.MaxConcurrency}).");
        if (Tasks.AutoRetryPolicy.Problem(task) is { } retryProblem) errors.Add($"{name} {retryProblem}");
    }
}
