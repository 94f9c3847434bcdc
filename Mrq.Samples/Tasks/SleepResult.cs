namespace Mrq.Samples.Tasks;

/// <summary>The result of <see cref="Sleep"/>: <c>{"slept": 10.002}</c>.</summary>
/// <param name="Slept">Seconds actually slept.</param>
public sealed record SleepResult(double Slept);
