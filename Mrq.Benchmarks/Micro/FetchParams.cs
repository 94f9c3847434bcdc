namespace Mrq.Benchmarks.Micro;

/// <summary>The typed form of <see cref="MicroJobs.Params"/> (snake_case in JSON, as MrqJson reads it).</summary>
public sealed record FetchParams(string Url, int Id, IReadOnlyList<string> Tags, FetchOptions Options);
