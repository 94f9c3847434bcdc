using System.Globalization;

namespace Mrq.Benchmarks.Runner;

/// <summary>
/// Runs one measurement attempt after the quiet gate, records what it returns, and re-runs it once when other
/// processes took more than 25 % of a core during it (the noisy attempt stays in the CSV, marked discarded).
/// </summary>
internal sealed class Recorder
{
    private const double NoisyOthersPercent = 25;
    private readonly ResultSet _results;
    private readonly CpuMonitor _cpu;
    private readonly bool _quick;
    private int _reruns;

    public Recorder(ResultSet results, CpuMonitor cpu, bool quick)
    {
        _results = results;
        _cpu = cpu;
        _quick = quick;
    }

    public CpuMonitor Cpu => _cpu;

    /// <summary>Re-runs done because of noise.</summary>
    public int Reruns => _reruns;

    /// <summary>Runs <paramref name="attempt"/>; a failure is printed and recorded as a note, not thrown.</summary>
    public async Task<IReadOnlyList<Measurement>> MeasureAsync(string what, Func<Task<IReadOnlyList<Measurement>>> attempt)
    {
        for (var tryNumber = 0; ; tryNumber++)
        {
            await _cpu.WaitQuietAsync().ConfigureAwait(false);
            IReadOnlyList<Measurement> measured;
            try
            {
                measured = await attempt().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Console.WriteLine($"  {what}: FAILED: {ex.GetType().Name}: {ex.Message}");
                Failures.Add($"{what}: {ex.GetType().Name}: {ex.Message}");
                return [];
            }

            var others = measured.Count == 0 ? 0 : measured.Max(m => m.Cpu.Others);
            // Re-run once when noisy, unless the machine is busy all the time (the gate gave up): then a re-run only doubles the time.
            var noisy = !_quick && others > NoisyOthersPercent && tryNumber == 0 && _reruns < 10 && !_cpu.LastGateTimedOut;
            foreach (var measurement in measured)
            {
                var kept = noisy ? measurement with { Discarded = true, Note = Join(measurement.Note, "discarded: others > 25 % of a core") } : measurement;
                _results.Add(kept);
                Console.WriteLine(Describe(kept));
            }

            if (!noisy)
            {
                return measured;
            }

            _reruns++;
        }
    }

    /// <summary>Failures seen, for the report.</summary>
    public List<string> Failures { get; } = [];

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "; " + b;

    private static string Describe(Measurement m)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"  {m.System,-8} {m.Backend,-13} {m.Metric,-24} N={m.N,9:N0} W={m.W,3} rep {m.Rep}: {m.Value,12:N1} {m.Unit}");
        if (m.Seconds > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ({m.Seconds:N2} s)");
        }

        if (m.FirstJobMs is { } first)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" first {first:N1} ms");
        }

        if (m.PeakWorkingSet is { } peak)
        {
            text += $" peak WS {MachineInfo.Mib(peak)}";
        }

        if (m.AllocatedPerJob is { } alloc)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" alloc {alloc:N0} B/job");
        }

        if (m.GcCollections is { } collections && m.GcPauseShare is { } pauseShare)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" gc {collections:N0}x paused {pauseShare:P0}");
        }

        text += string.Create(CultureInfo.InvariantCulture, $" cpu self {m.Cpu.Self:N0}% servers {m.Cpu.Servers:N0}% others {m.Cpu.Others:N0}%");
        if (m.Note.Length > 0)
        {
            text += " [" + m.Note + "]";
        }

        return text;
    }
}
