namespace Mrq.Benchmarks.Runner;

/// <summary>
/// One measured run: who (<see cref="System"/>: Mrq, Hangfire or Baseline), on what (<see cref="Backend"/>), which
/// figure (<see cref="Metric"/>), at which size (<see cref="N"/>) and concurrency (<see cref="W"/>), with the CPU
/// and memory seen during it. Every run, kept or not, goes to the CSV; only kept ones count in medians.
/// </summary>
internal sealed record Measurement
{
    public required string System { get; init; }

    public required string Backend { get; init; }

    public required string Metric { get; init; }

    public required int N { get; init; }

    /// <summary>Jobs processed when fewer than <see cref="N"/> (scale runs over a deep queue); null when all.</summary>
    public int? Processed { get; init; }

    public required int W { get; init; }

    public required int Rep { get; init; }

    public required double Value { get; init; }

    public required string Unit { get; init; }

    /// <summary>The timed section's duration.</summary>
    public double Seconds { get; init; }

    public double? FirstJobMs { get; init; }

    public long? StartWorkingSet { get; init; }

    public long? PeakWorkingSet { get; init; }

    public long? PeakManaged { get; init; }

    /// <summary>Bytes allocated in this process per job during the timed section (all threads).</summary>
    public double? AllocatedPerJob { get; init; }

    /// <summary>Garbage collections (of any generation) during the timed section.</summary>
    public int? GcCollections { get; init; }

    /// <summary>The share of the timed section's wall time during which the runtime had every thread paused for GC.</summary>
    public double? GcPauseShare { get; init; }

    public CpuUse Cpu { get; init; }

    /// <summary>Other processes used more than 25 % of a core: re-run, and this one left out of medians.</summary>
    public bool Discarded { get; init; }

    public string Note { get; init; } = "";

    public DateTime At { get; init; } = DateTime.UtcNow;
}
