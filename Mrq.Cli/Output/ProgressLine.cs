using System.Diagnostics;
using System.Globalization;
using Mrq.Workers;

namespace Mrq.Cli.Output;

/// <summary>A worker's live status on a terminal: "N done, X jobs/s, status", refreshed every second.</summary>
internal static class ProgressLine
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    /// <summary>Starts the status when the command runs on a terminal; null otherwise.</summary>
    public static LiveStatus? StartIfInteractive(IMrqWorker worker, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var clock = Stopwatch.StartNew();
        var lastDone = worker.DoneJobs;
        var lastTime = clock.Elapsed;
        return LiveStatus.StartIfTerminal(console, _ => new(Text(worker, clock, ref lastDone, ref lastTime)), s_interval);
    }

    /// <summary>The status text, with the rate since the previous call.</summary>
    internal static string Text(IMrqWorker worker, Stopwatch clock, ref long lastDone, ref TimeSpan lastTime)
    {
        var done = worker.DoneJobs;
        var now = clock.Elapsed;
        var rate = (done - lastDone) / Math.Max(0.001, (now - lastTime).TotalSeconds);
        (lastDone, lastTime) = (done, now);
        return string.Create(CultureInfo.InvariantCulture, $"{done} done, {rate:0.0} jobs/s, {worker.Status}");
    }
}
