namespace Mrq.Samples.Tasks;

/// <summary>The params of <see cref="Add"/>: <c>{"a": 1, "b": 2}</c>.</summary>
/// <param name="A">The first number.</param>
/// <param name="B">The second number.</param>
public sealed record AddParams(long A, long B);
