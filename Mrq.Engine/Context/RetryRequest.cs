namespace Mrq.Context;

/// <summary>What a task asked for when it called RetryCurrentJob.</summary>
internal sealed record RetryRequest(TimeSpan? Delay, int? MaxRetries, string? Queue);
