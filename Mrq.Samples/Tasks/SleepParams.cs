namespace Mrq.Samples.Tasks;

/// <summary>The params of <see cref="Sleep"/>: <c>{"seconds": 10}</c>.</summary>
/// <param name="Seconds">How long to sleep.</param>
public sealed record SleepParams(double Seconds = 10);
