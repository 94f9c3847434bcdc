using Mrq.Configuration;

namespace Mrq.Tasks;

/// <summary>
/// A task's automatic retry policy: which exceptions retry the job, and how long each retry waits —
/// <c>retry_delay × retry_backoff^retry_count</c>, at most <c>retry_max_delay</c>, of which a random
/// <c>retry_jitter</c> share is taken off. The number of retries is the task's <c>max_retries</c>.
/// </summary>
internal sealed record AutoRetryPolicy(IReadOnlySet<string> ExceptionTypes, TimeSpan BaseDelay, double Backoff, TimeSpan MaxDelay, double Jitter)
{
    /// <summary>The policy of merged task options, or null when <c>retry_on</c> is empty.</summary>
    /// <exception cref="ArgumentException">A value is out of range (see <see cref="Problem"/>).</exception>
    public static AutoRetryPolicy? From(TaskOptions options, TimeSpan baseDelay)
    {
        if (options.RetryOn is not { Length: > 0 } types)
        {
            return null;
        }

        if (Problem(options) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        return new AutoRetryPolicy(
            new HashSet<string>(types.Select(t => t.Trim()), StringComparer.Ordinal),
            baseDelay,
            options.RetryBackoff ?? 2,
            TimeSpan.FromSeconds(options.RetryMaxDelay ?? 3600),
            options.RetryJitter ?? 0.2);
    }

    /// <summary>What is wrong with the automatic retry options, in one line, or null when they are valid.</summary>
    public static string? Problem(TaskOptions options)
    {
        if (options.RetryOn is { } types && types.Any(string.IsNullOrWhiteSpace))
        {
            return "retry_on must list exception type names (an entry is empty).";
        }

        if (options.RetryBackoff is { } backoff && !(backoff >= 1 && double.IsFinite(backoff)))
        {
            return $"retry_backoff must be a number of at least 1 (got {backoff}).";
        }

        if (options.RetryMaxDelay is { } maxDelay && !(maxDelay >= 0 && maxDelay <= TimeSpan.MaxValue.TotalSeconds / 2))
        {
            return $"retry_max_delay must be a number of seconds, 0 or more (got {maxDelay}).";
        }

        return options.RetryJitter is { } jitter && !(jitter >= 0 && jitter <= 1)
            ? $"retry_jitter must be between 0 and 1 (got {jitter})."
            : null;
    }

    /// <summary>True when <paramref name="exception"/> is of a listed type or a subclass of one.</summary>
    public bool Retries(Exception exception)
    {
        for (var type = exception.GetType(); type is not null; type = type.BaseType)
        {
            if (ExceptionTypes.Contains(type.Name) || (type.FullName is { } full && ExceptionTypes.Contains(full)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The wait before retry number <paramref name="retryCount"/> + 1; <paramref name="random"/> is a draw in [0, 1).</summary>
    public TimeSpan DelayFor(int retryCount, double random)
    {
        var seconds = BaseDelay.TotalSeconds * Math.Pow(Backoff, retryCount);
        var capped = double.IsFinite(seconds) ? Math.Min(seconds, MaxDelay.TotalSeconds) : MaxDelay.TotalSeconds;
        return TimeSpan.FromSeconds(capped * (1 - (Jitter * random)));
    }
}
