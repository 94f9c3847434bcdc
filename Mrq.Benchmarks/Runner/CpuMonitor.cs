using System.Text;

namespace Mrq.Benchmarks.Runner;

/// <summary>
/// Finds the servers the benchmark uses, takes CPU snapshots, and runs the quiet gate: before a timed run it waits
/// (up to a limit) until other processes use less than 10 % of a core, as peers-measured.md's method does.
/// </summary>
internal sealed class CpuMonitor
{
    private readonly double _maxWaitSeconds;
    private readonly double _budgetSeconds;
    private double _waitedSeconds;

    public CpuMonitor(double maxWaitSeconds, IReadOnlyList<string> serverPatterns)
    {
        _maxWaitSeconds = maxWaitSeconds;
        // All gates together wait at most this long, so a machine that never goes quiet still finishes.
        _budgetSeconds = maxWaitSeconds * 8;
        ServerPids = FindProcesses(serverPatterns);
    }

    public IReadOnlyList<int> ServerPids { get; }

    /// <summary>Seconds spent waiting in gates so far.</summary>
    public double WaitedSeconds => _waitedSeconds;

    /// <summary>Gates that ended without the machine going quiet.</summary>
    public int GatesTimedOut { get; private set; }

    /// <summary>True when the last gate gave up waiting (or the waiting budget is spent and others were busy).</summary>
    public bool LastGateTimedOut { get; private set; }

    public CpuSnapshot Snapshot() => CpuSnapshot.Take(ServerPids);

    /// <summary>Waits until other processes use less than 10 % of a core over one second, or the limit passes.</summary>
    public async Task WaitQuietAsync()
    {
        var limit = Math.Min(_maxWaitSeconds, _budgetSeconds - _waitedSeconds);
        LastGateTimedOut = false;
        if (limit <= 0)
        {
            var before = Snapshot();
            await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
            LastGateTimedOut = CpuSnapshot.Between(before, Snapshot()).Others >= 10;
            return;
        }

        var started = DateTime.UtcNow;
        while (true)
        {
            var before = Snapshot();
            await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
            var use = CpuSnapshot.Between(before, Snapshot());
            var waited = (DateTime.UtcNow - started).TotalSeconds;
            if (use.Others < 10)
            {
                _waitedSeconds += waited;
                return;
            }

            if (waited >= limit)
            {
                _waitedSeconds += waited;
                GatesTimedOut++;
                LastGateTimedOut = true;
                return;
            }
        }
    }

    /// <summary>Process ids whose command line contains every space-separated word of one of the patterns.</summary>
    private static List<int> FindProcesses(IReadOnlyList<string> patterns)
    {
        var found = new List<int>();
        string[] dirs;
        try
        {
            dirs = Directory.GetDirectories("/proc");
        }
        catch (IOException)
        {
            return found;
        }

        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Replace('\0', ' ');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (patterns.Any(p => p.Split(' ').All(word => commandLine.Contains(word, StringComparison.Ordinal))))
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
