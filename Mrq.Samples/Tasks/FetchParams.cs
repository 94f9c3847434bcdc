namespace Mrq.Samples.Tasks;

/// <summary>The params of <see cref="Fetch"/>: <c>{"url": "https://example.com/1", "delay_ms": 100}</c>.</summary>
/// <param name="Url">The URL to pretend to fetch.</param>
/// <param name="DelayMs">How long the pretend request takes, in milliseconds.</param>
public sealed record FetchParams(string Url, int DelayMs = 100);
