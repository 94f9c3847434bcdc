namespace Mrq.Benchmarks.Runner;

/// <summary>What a <see cref="TimedSection"/> saw.</summary>
internal sealed record SectionStats(TimeSpan Elapsed, CpuUse Cpu, long StartWorkingSet, long PeakWorkingSet, long PeakManaged, long Allocated, GcUse Gc)
{
    /// <summary>Fills a measurement's CPU and memory figures from this section.</summary>
    public Measurement Into(Measurement measurement, long? jobs = null) => measurement with
    {
        Seconds = Elapsed.TotalSeconds,
        Cpu = Cpu,
        StartWorkingSet = StartWorkingSet,
        PeakWorkingSet = PeakWorkingSet,
        PeakManaged = PeakManaged,
        GcCollections = Gc.Collections,
        GcPauseShare = Elapsed > TimeSpan.Zero ? Gc.Pause / Elapsed : null,
        AllocatedPerJob = jobs is > 0 ? (double)Allocated / jobs.Value : null,
    };
}
