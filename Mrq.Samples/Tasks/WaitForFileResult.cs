namespace Mrq.Samples.Tasks;

/// <summary>The result of <see cref="WaitForFile"/>: <c>{"waited": 1.25}</c>.</summary>
/// <param name="Waited">Seconds waited.</param>
public sealed record WaitForFileResult(double Waited);
