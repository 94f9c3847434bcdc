namespace Mrq.Benchmarks.Runner;

/// <summary>The garbage collections of this process during a timed section: how many, and how long they paused it.</summary>
internal readonly record struct GcUse(int Collections, TimeSpan Pause);
