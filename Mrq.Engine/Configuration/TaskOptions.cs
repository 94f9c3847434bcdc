using Microsoft.Extensions.Configuration;

namespace Mrq.Configuration;

/// <summary>Per-task options (an entry of MRQ's <c>TASKS</c>); unset values fall back to the <c>default_job_*</c> options.</summary>
public sealed class TaskOptions
{
    /// <summary>Default queue of the task (<c>queue</c>).</summary>
    [ConfigurationKeyName("queue")]
    public string? Queue { get; set; }

    /// <summary>Timeout in seconds (<c>timeout</c>).</summary>
    [ConfigurationKeyName("timeout")]
    public double? Timeout { get; set; }

    /// <summary>Retries before <c>maxretries</c> (<c>max_retries</c>).</summary>
    [ConfigurationKeyName("max_retries")]
    public int? MaxRetries { get; set; }

    /// <summary>Retry delay in seconds (<c>retry_delay</c>).</summary>
    [ConfigurationKeyName("retry_delay")]
    public double? RetryDelay { get; set; }

    /// <summary>Seconds a successful job is kept (<c>result_ttl</c>).</summary>
    [ConfigurationKeyName("result_ttl")]
    public double? ResultTtl { get; set; }

    /// <summary>Seconds an aborted job is kept (<c>abort_ttl</c>).</summary>
    [ConfigurationKeyName("abort_ttl")]
    public double? AbortTtl { get; set; }

    /// <summary>Seconds a cancelled job is kept (<c>cancel_ttl</c>).</summary>
    [ConfigurationKeyName("cancel_ttl")]
    public double? CancelTtl { get; set; }

    /// <summary>Seconds other ended jobs are kept (<c>default_ttl</c>).</summary>
    [ConfigurationKeyName("default_ttl")]
    public double? DefaultTtl { get; set; }

    /// <summary>At most this many jobs of the task run at once across all workers (<c>max_concurrency</c>, 0 = no limit; MRQ supports 1).</summary>
    [ConfigurationKeyName("max_concurrency")]
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// Automatic retries (not in MRQ; off when empty): when the task throws an exception of one of these types (by
    /// name or full name, or a subclass of one; <c>Exception</c> retries every exception), the job is retried as
    /// <c>RetryCurrentJob</c> would, with exponential backoff, and ends <c>maxretries</c> after <c>max_retries</c>
    /// retries (<c>retry_on</c>).
    /// </summary>
    [ConfigurationKeyName("retry_on")]
    public string[]? RetryOn { get; set; }

    /// <summary>Automatic retries: each retry waits this many times longer than the one before (<c>retry_backoff</c>, default 2; 1 = always retry_delay).</summary>
    [ConfigurationKeyName("retry_backoff")]
    public double? RetryBackoff { get; set; }

    /// <summary>Automatic retries: the longest wait in seconds (<c>retry_max_delay</c>, default 3600).</summary>
    [ConfigurationKeyName("retry_max_delay")]
    public double? RetryMaxDelay { get; set; }

    /// <summary>Automatic retries: the share of each wait drawn at random, 0..1, so failed jobs do not all come back at once (<c>retry_jitter</c>, default 0.2).</summary>
    [ConfigurationKeyName("retry_jitter")]
    public double? RetryJitter { get; set; }

    /// <summary>
    /// Unique jobs (not in MRQ): queueing a job of this task while another with the same values of these params is
    /// queued, delayed, running or interrupted returns that job's id instead (<c>unique_params</c>; see <see cref="Jobs.UniqueJobs"/>).
    /// </summary>
    [ConfigurationKeyName("unique_params")]
    public string[]? UniqueParams { get; set; }

    /// <summary>Returns a copy where values unset here are taken from <paramref name="fallback"/>.</summary>
    public TaskOptions MergedOver(TaskOptions? fallback) => fallback is null ? this : new TaskOptions
    {
        Queue = Queue ?? fallback.Queue,
        Timeout = Timeout ?? fallback.Timeout,
        MaxRetries = MaxRetries ?? fallback.MaxRetries,
        RetryDelay = RetryDelay ?? fallback.RetryDelay,
        ResultTtl = ResultTtl ?? fallback.ResultTtl,
        AbortTtl = AbortTtl ?? fallback.AbortTtl,
        CancelTtl = CancelTtl ?? fallback.CancelTtl,
        DefaultTtl = DefaultTtl ?? fallback.DefaultTtl,
        MaxConcurrency = MaxConcurrency ?? fallback.MaxConcurrency,
        RetryOn = RetryOn ?? fallback.RetryOn,
        RetryBackoff = RetryBackoff ?? fallback.RetryBackoff,
        RetryMaxDelay = RetryMaxDelay ?? fallback.RetryMaxDelay,
        RetryJitter = RetryJitter ?? fallback.RetryJitter,
        UniqueParams = UniqueParams ?? fallback.UniqueParams,
    };
}
