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
    };
}
