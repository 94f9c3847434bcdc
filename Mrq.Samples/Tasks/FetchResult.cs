namespace Mrq.Samples.Tasks;

/// <summary>The result of <see cref="Fetch"/>: <c>{"url": …, "status": 200, "bytes": 1234}</c>.</summary>
/// <param name="Url">The URL.</param>
/// <param name="Status">The pretend HTTP status.</param>
/// <param name="Bytes">The pretend body length.</param>
public sealed record FetchResult(string Url, int Status, int Bytes);
