using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Mrq.Benchmarks.Runner;

/// <summary>What the machine is: cores, CPU model, memory, OS, runtime, GC mode, and how fast the temp disk can fsync.</summary>
internal sealed record MachineInfo(
    int Cores,
    string CpuModel,
    string Memory,
    string Os,
    string Kernel,
    string Runtime,
    string Gc,
    string BuildConfiguration,
    string LoadAverage,
    double FsyncPerSecond)
{
    public static MachineInfo Collect(string tempDirectory) => new(
        Environment.ProcessorCount,
        ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ReadField("/proc/meminfo", "MemTotal") ?? "unknown",
        (ReadField("/etc/os-release", "PRETTY_NAME", '=') ?? RuntimeInformation.OSDescription).Trim('"'),
        ReadText("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString,
        RuntimeInformation.FrameworkDescription,
        GcDescription(),
        IsOptimized() ? "Release" : "Debug (not optimized: numbers are not representative)",
        LoadAverageNow(),
        FsyncProbe(tempDirectory));

    /// <summary>This process's GC mode, concurrency and gen0 budget, as the runtime reports them.</summary>
    public static string GcDescription()
    {
        var variables = GC.GetConfigurationVariables();
        var concurrent = variables.TryGetValue("ConcurrentGC", out var value) ? value : "?";
        var gen0 = variables.TryGetValue("GCGen0MaxBudget", out var budget) && budget is long bytes && bytes > 0 ? Mib(bytes) : "default";
        return $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC (concurrent {concurrent}, gen0 max budget {gen0}, latency mode {GCSettings.LatencyMode})";
    }

    /// <summary>The 1/5/15-minute load averages.</summary>
    public static string LoadAverageNow() => ReadText("/proc/loadavg") is { } text ? string.Join(' ', text.Split(' ').Take(3)) : "unknown";

    /// <summary>The informational version of the assembly holding <paramref name="type"/> (its NuGet version, without the commit).</summary>
    public static string VersionOf(Type type)
    {
        var assembly = type.Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "?";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }

    private static bool IsOptimized() =>
        typeof(MachineInfo).Assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    /// <summary>4 KiB write + fsync, 300 times, in the directory where the benchmark's files go.</summary>
    private static double FsyncProbe(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "fsync-probe.bin");
        var buffer = new byte[4096];
        const int Rounds = 300;
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Rounds; i++)
            {
                stream.Position = 0;
                stream.Write(buffer);
                stream.Flush(flushToDisk: true);
            }

            return Rounds / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadField(string path, string name, char separator = ':')
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var at = line.IndexOf(separator, StringComparison.Ordinal);
                if (at > 0 && line[..at].Trim().Equals(name, StringComparison.Ordinal))
                {
                    return line[(at + 1)..].Trim();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    /// <summary>Formats a number of bytes as MiB.</summary>
    public static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}
