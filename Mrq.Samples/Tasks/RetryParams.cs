namespace Mrq.Samples.Tasks;

/// <summary>The params of <see cref="Retry"/>: <c>{"succeed_after": 2, "delay": 0}</c>.</summary>
/// <param name="SucceedAfter">How many retries before it succeeds.</param>
/// <param name="Delay">Seconds before each retry (0: requeued at once).</param>
public sealed record RetryParams(int SucceedAfter = 2, double Delay = 0);
