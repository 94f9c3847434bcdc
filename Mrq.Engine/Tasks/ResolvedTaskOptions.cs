using Mrq.Configuration;

namespace Mrq.Tasks;

/// <summary>A task's effective options: configuration over code over the <c>default_job_*</c> defaults.</summary>
internal sealed record ResolvedTaskOptions(
    string Queue,
    TimeSpan Timeout,
    int MaxRetries,
    TimeSpan RetryDelay,
    TimeSpan ResultTtl,
    TimeSpan AbortTtl,
    TimeSpan CancelTtl,
    TimeSpan DefaultTtl,
    int MaxConcurrency)
{
    /// <summary>The automatic retry policy, or null when the task has none (MRQ's behaviour: an exception fails the job).</summary>
    public AutoRetryPolicy? AutoRetry { get; init; }

    /// <summary>The params whose values make a job of the task unique, or null when the task has no such rule.</summary>
    public IReadOnlyList<string>? UniqueParams { get; init; }

    public static ResolvedTaskOptions Resolve(TaskOptions? configured, TaskOptions? code, MrqOptions defaults)
    {
        var merged = (configured ?? new TaskOptions()).MergedOver(code);
        return new ResolvedTaskOptions(
            merged.Queue ?? "default",
            TimeSpan.FromSeconds(merged.Timeout ?? defaults.DefaultJobTimeout),
            merged.MaxRetries ?? defaults.DefaultJobMaxRetries,
            TimeSpan.FromSeconds(merged.RetryDelay ?? defaults.DefaultJobRetryDelay),
            TimeSpan.FromSeconds(merged.ResultTtl ?? defaults.DefaultJobResultTtl),
            TimeSpan.FromSeconds(merged.AbortTtl ?? defaults.DefaultJobAbortTtl),
            TimeSpan.FromSeconds(merged.CancelTtl ?? defaults.DefaultJobCancelTtl),
            TimeSpan.FromSeconds(merged.DefaultTtl ?? defaults.DefaultJobTtl),
            merged.MaxConcurrency ?? 0)
        {
            AutoRetry = AutoRetryPolicy.From(merged, TimeSpan.FromSeconds(merged.RetryDelay ?? defaults.DefaultJobRetryDelay)),
            UniqueParams = merged.UniqueParams is { Length: > 0 } unique ? unique : null,
        };
    }
}
