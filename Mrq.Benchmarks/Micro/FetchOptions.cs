namespace Mrq.Benchmarks.Micro;

/// <summary>The nested object of <see cref="FetchParams"/>.</summary>
public sealed record FetchOptions(bool Retry, double Ratio, string Label);
