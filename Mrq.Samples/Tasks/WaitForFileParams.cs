namespace Mrq.Samples.Tasks;

/// <summary>The params of <see cref="WaitForFile"/>: <c>{"path": "/tmp/go"}</c>.</summary>
/// <param name="Path">The file to wait for.</param>
public sealed record WaitForFileParams(string? Path);
