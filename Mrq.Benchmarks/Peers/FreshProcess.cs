using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Peers;

/// <summary>
/// Runs a peer in a process of its own (a fresh runtime: its own JIT, heap and GC budget, nothing left from the runs
/// before it) and reads its measurements back from stdout: one line per measurement, after <see cref="Marker"/>.
/// The machine's CPU is sampled around the child's whole life, so a noisy child can be told from a quiet one.
/// </summary>
internal static class FreshProcess
{
    /// <summary>Starts each stdout line that carries a measurement.</summary>
    public const string Marker = "MEASUREMENT ";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The line a child prints for one measurement.</summary>
    public static string Line(Measurement measurement) => Marker + JsonSerializer.Serialize(measurement, s_json);

    /// <summary>The command that starts this benchmark binary again: the dotnet host with the dll, or the app host.</summary>
    public static (string FileName, IReadOnlyList<string> Prefix) Self()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(FreshProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? (host, [dll]) : (host, []);
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> to its end (killed after
    /// <paramref name="timeout"/>) and returns the measurement lines it printed, parsed, and what the machine's CPU did
    /// meanwhile. A non-zero exit is an error carrying the child's last stderr lines.
    /// </summary>
    public static async Task<ChildRun> RunAsync(string fileName, IEnumerable<string> arguments, CpuMonitor cpu, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var lines = new List<string>();
        var errors = new StringBuilder();
        var before = cpu.Snapshot();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(Marker, StringComparison.Ordinal))
            {
                lock (lines)
                {
                    lines.Add(line[Marker.Length..]);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
                throw new TimeoutException($"{Path.GetFileName(fileName)} ran past {timeout.TotalMinutes:N0} min and was killed. {Tail(errors)}");
            }
        }

        // WaitForExitAsync returns once the process exited and its redirected streams reached their end.
        var after = cpu.Snapshot();
        var use = CpuSnapshot.Between(before, after);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} exited with code {process.ExitCode}. {Tail(errors)}");
        }

        List<string> copy;
        lock (lines)
        {
            copy = [.. lines];
        }

        return new ChildRun(copy, use, Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds);
    }

    /// <summary>Parses a measurement line printed by <see cref="Line"/>.</summary>
    public static Measurement Parse(string json) =>
        JsonSerializer.Deserialize<Measurement>(json, s_json) ?? throw new FormatException("An empty measurement line.");

    private static string Tail(StringBuilder errors)
    {
        string text;
        lock (errors)
        {
            text = errors.ToString().Trim();
        }

        var last = text.Split('\n').TakeLast(5);
        return text.Length == 0 ? "(no stderr)" : "stderr: " + string.Join(" | ", last);
    }
}

/// <summary>
/// What a child process printed, and the machine's CPU use over its life in percent of a core (this runner's own share
/// in Self; the child's in Others) over <paramref name="WallSeconds"/>.
/// </summary>
internal sealed record ChildRun(IReadOnlyList<string> Lines, CpuUse Machine, double WallSeconds);
