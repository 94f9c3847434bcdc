namespace Mrq.Tasks;

/// <summary>
/// Names a task with an MRQ-style dotted path (e.g. <c>tasks.io.Fetch</c>) and sets its options in code. Without
/// it, a task's path is its type's full name. Options left at their defaults fall back to configuration.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MrqTaskAttribute : Attribute
{
    /// <summary>Names the task.</summary>
    public MrqTaskAttribute(string path)
    {
        Path = path;
    }

    /// <summary>The task path.</summary>
    public string Path { get; }

    /// <summary>Default queue.</summary>
    public string? Queue { get; set; }

    /// <summary>Timeout in seconds (0 = default).</summary>
    public double Timeout { get; set; }

    /// <summary>Retries before maxretries (-1 = default).</summary>
    public int MaxRetries { get; set; } = -1;

    /// <summary>Retry delay in seconds (-1 = default).</summary>
    public double RetryDelay { get; set; } = -1;

    /// <summary>Seconds a successful job is kept (-1 = default).</summary>
    public double ResultTtl { get; set; } = -1;

    /// <summary>Seconds an aborted job is kept (-1 = default).</summary>
    public double AbortTtl { get; set; } = -1;

    /// <summary>Seconds other ended jobs are kept (-1 = default).</summary>
    public double DefaultTtl { get; set; } = -1;

    /// <summary>At most this many running at once (0 = no limit).</summary>
    public int MaxConcurrency { get; set; }

    /// <summary>Automatic retries: retry the job when the task throws one of these exception types or a subclass (empty = off; see <see cref="Configuration.TaskOptions.RetryOn"/>).</summary>
    public Type[]? RetryOn { get; set; }

    /// <summary>Automatic retries: backoff multiplier (-1 = default 2).</summary>
    public double RetryBackoff { get; set; } = -1;

    /// <summary>Automatic retries: longest wait in seconds (-1 = default 3600).</summary>
    public double RetryMaxDelay { get; set; } = -1;

    /// <summary>Automatic retries: random share of each wait, 0..1 (-1 = default 0.2).</summary>
    public double RetryJitter { get; set; } = -1;

    /// <summary>Unique jobs: the params whose values make a job of this task unique (see <see cref="Configuration.TaskOptions.UniqueParams"/>).</summary>
    public string[]? UniqueParams { get; set; }

    /// <exception cref="ArgumentException">An automatic retry value is out of range.</exception>
    internal Configuration.TaskOptions ToOptions()
    {
        var options = CodeOptions();
        return AutoRetryPolicy.Problem(options) is { } problem ? throw new ArgumentException($"[MrqTask(\"{Path}\")]: {problem}") : options;
    }

    private Configuration.TaskOptions CodeOptions() => new()
    {
        Queue = Queue,
        Timeout = Timeout > 0 ? Timeout : null,
        MaxRetries = MaxRetries >= 0 ? MaxRetries : null,
        RetryDelay = RetryDelay >= 0 ? RetryDelay : null,
        ResultTtl = ResultTtl >= 0 ? ResultTtl : null,
        AbortTtl = AbortTtl >= 0 ? AbortTtl : null,
        DefaultTtl = DefaultTtl >= 0 ? DefaultTtl : null,
        MaxConcurrency = MaxConcurrency > 0 ? MaxConcurrency : null,
        RetryOn = RetryOn is { Length: > 0 } types ? [.. types.Select(t => t.FullName ?? t.Name)] : null,
        RetryBackoff = RetryBackoff >= 0 ? RetryBackoff : null,
        RetryMaxDelay = RetryMaxDelay >= 0 ? RetryMaxDelay : null,
        RetryJitter = RetryJitter >= 0 ? RetryJitter : null,
        UniqueParams = UniqueParams is { Length: > 0 } ? UniqueParams : null,
    };
}
