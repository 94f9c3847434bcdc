namespace Mrq.Samples.Tasks;

/// <summary>The result of <see cref="Retry"/>: <c>{"attempts": 3}</c>.</summary>
/// <param name="Attempts">How many times the job ran.</param>
public sealed record RetryResult(int Attempts);
