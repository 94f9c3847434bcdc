using System.Diagnostics;

namespace Mrq.Benchmarks.Runner;

/// <summary>
/// Samples the process's working set and managed heap every 20 ms on a background thread, for the peak memory of a
/// run ("memory must be flat": a queue of 1M jobs must not be loaded into memory).
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Process _process = Process.GetCurrentProcess();
    private long _peakWorkingSet;
    private long _peakManaged;

    private MemorySampler()
    {
        _process.Refresh();
        StartWorkingSet = _process.WorkingSet64;
        StartManaged = GC.GetTotalMemory(false);
        _peakWorkingSet = StartWorkingSet;
        _peakManaged = StartManaged;
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    public long StartWorkingSet { get; }

    public long StartManaged { get; }

    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    public long PeakManaged => Interlocked.Read(ref _peakManaged);

    public static MemorySampler Start() => new();

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        Sample();
        _stop.Dispose();
        _process.Dispose();
    }

    private void Loop()
    {
        while (!_stop.Wait(20))
        {
            Sample();
        }
    }

    private void Sample()
    {
        _process.Refresh();
        var workingSet = _process.WorkingSet64;
        var managed = GC.GetTotalMemory(false);
        if (workingSet > Interlocked.Read(ref _peakWorkingSet))
        {
            Interlocked.Exchange(ref _peakWorkingSet, workingSet);
        }

        if (managed > Interlocked.Read(ref _peakManaged))
        {
            Interlocked.Exchange(ref _peakManaged, managed);
        }
    }
}
