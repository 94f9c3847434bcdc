using System.Diagnostics;

namespace Mrq.Benchmarks.Runner;

/// <summary>
/// Brackets a timed section: wall time, CPU use (this process, servers, others), memory (start and peak working set,
/// peak managed heap, sampled every 20 ms), bytes allocated by this process, and its garbage collections (count and pause time).
/// </summary>
internal sealed class TimedSection : IDisposable
{
    private readonly CpuMonitor _cpu;
    private readonly CpuSnapshot _cpuStart;
    private readonly long _allocatedStart;
    private readonly TimeSpan _gcPauseStart;
    private readonly int _gcCountStart;
    private readonly long _start;
    private readonly MemorySampler _memory;
    private SectionStats? _stats;

    private TimedSection(CpuMonitor cpu)
    {
        _cpu = cpu;
        _memory = MemorySampler.Start();
        _cpuStart = cpu.Snapshot();
        _allocatedStart = GC.GetTotalAllocatedBytes(precise: false);
        _gcPauseStart = GC.GetTotalPauseDuration();
        _gcCountStart = GC.CollectionCount(0);
        _start = Stopwatch.GetTimestamp();
    }

    public static TimedSection Start(CpuMonitor cpu) => new(cpu);

    /// <summary>Ends the section (idempotent) and returns what it saw.</summary>
    public SectionStats Stop()
    {
        if (_stats is null)
        {
            var elapsed = Stopwatch.GetElapsedTime(_start);
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - _allocatedStart;
            var gc = new GcUse(GC.CollectionCount(0) - _gcCountStart, GC.GetTotalPauseDuration() - _gcPauseStart);
            var cpu = CpuSnapshot.Between(_cpuStart, _cpu.Snapshot());
            _memory.Dispose();
            _stats = new SectionStats(elapsed, cpu, _memory.StartWorkingSet, _memory.PeakWorkingSet, _memory.PeakManaged, allocated, gc);
        }

        return _stats;
    }

    public void Dispose() => Stop();
}
