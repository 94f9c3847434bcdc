using System.Diagnostics;
using System.Globalization;

namespace Mrq.Benchmarks.Runner;

/// <summary>
/// CPU time read from /proc at one instant: the machine's busy time, this process's time and the time of the
/// servers the benchmark talks to (redis-server, the MongoDB-wire emulator). The difference of two snapshots says
/// how much CPU "other" processes took meanwhile, which is what the quiet gate and the noise flag look at.
/// </summary>
internal readonly record struct CpuSnapshot(long Timestamp, double MachineBusySeconds, double SelfSeconds, double ServerSeconds)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuSnapshot Take(IReadOnlyList<int> serverPids)
    {
        var servers = 0.0;
        foreach (var pid in serverPids)
        {
            servers += ProcessSeconds($"/proc/{pid}/stat");
        }

        return new CpuSnapshot(Stopwatch.GetTimestamp(), ReadMachineBusySeconds(), ProcessSeconds("/proc/self/stat"), servers);
    }

    /// <summary>CPU use between two snapshots, in percent of one core.</summary>
    public static CpuUse Between(CpuSnapshot start, CpuSnapshot end)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        if (wall <= 0)
        {
            return new CpuUse(0, 0, 0);
        }

        var self = (end.SelfSeconds - start.SelfSeconds) / wall * 100;
        var servers = (end.ServerSeconds - start.ServerSeconds) / wall * 100;
        var machine = (end.MachineBusySeconds - start.MachineBusySeconds) / wall * 100;
        return new CpuUse(self, servers, Math.Max(0, machine - self - servers));
    }

    private static double ReadMachineBusySeconds()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum();
            var idle = fields[3] + fields[4];
            return (total - idle) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double ProcessSeconds(string statPath)
    {
        try
        {
            var text = File.ReadAllText(statPath);
            // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
