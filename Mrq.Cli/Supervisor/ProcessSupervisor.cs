using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Configuration;
using Mrq.Cli.Signals;

namespace Mrq.Cli.Supervisor;

/// <summary>
/// MRQ's <c>--processes N</c>: runs N <c>mrq worker</c> child processes with the same arguments (and
/// <c>MRQ_IS_SUBPROCESS=1</c>), restarts those that end (with a growing delay when they end quickly), forwards
/// SIGINT (graceful) and SIGTERM / a second SIGINT (abort) to them, and returns when every child has ended.
/// Children that exit with a usage error are not restarted (they would fail the same way); in burst mode,
/// children that finish normally are not restarted either.
/// </summary>
internal sealed class ProcessSupervisor
{
    private static readonly TimeSpan s_firstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_healthyRun = TimeSpan.FromSeconds(30);

    private readonly int _count;
    private readonly IReadOnlyList<string> _arguments;
    private readonly bool _burst;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Process> _running = [];

    public ProcessSupervisor(int count, IReadOnlyList<string> arguments, bool burst, ILogger logger)
    {
        _count = count;
        _arguments = arguments;
        _burst = burst;
        _logger = logger;
    }

    /// <summary>Runs the children until they have all ended.</summary>
    /// <returns>0, or <see cref="ExitCodes.Usage"/> when children rejected their arguments.</returns>
    public async Task<int> RunAsync(ShutdownSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        using var onStop = signals.Stopping.Register(() => Forward(NativeSignals.SigInt, "SIGINT"));
        using var onAbort = signals.Aborting.Register(() => Forward(NativeSignals.SigTerm, "SIGTERM"));
        _logger.LogInformation("Supervising {Count} worker processes.", _count);
        var slots = Enumerable.Range(0, _count).Select(i => SuperviseAsync(i, signals)).ToArray();
        var codes = await Task.WhenAll(slots).ConfigureAwait(false);
        _logger.LogInformation("All worker processes have ended.");
        return codes.Contains(ExitCodes.Usage) ? ExitCodes.Usage : ExitCodes.Ok;
    }

    private async Task<int> SuperviseAsync(int slot, ShutdownSignals signals)
    {
        var delay = s_firstDelay;
        while (!signals.Stopping.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            Process? process;
            try
            {
                process = Start(signals, slot);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                _logger.LogError("Cannot start worker process {Slot}: {Message}", slot, ex.Message);
                return ExitCodes.Failure;
            }

            if (process is null)
            {
                break;
            }

            int code;
            using (process)
            {
                _logger.LogInformation("Worker process {Slot} started (pid {Pid}).", slot, process.Id);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                code = process.ExitCode;
                lock (_gate)
                {
                    _running.Remove(process);
                }

                _logger.Log(code == 0 ? LogLevel.Information : LogLevel.Warning, "Worker process {Slot} (pid {Pid}) exited with code {Code}.", slot, process.Id, code);
            }

            if (signals.Stopping.IsCancellationRequested)
            {
                break;
            }

            if (code == ExitCodes.Usage)
            {
                _logger.LogError("Worker process {Slot} rejected its arguments; not restarting it.", slot);
                return ExitCodes.Usage;
            }

            if (_burst && code == 0)
            {
                break;
            }

            delay = started.Elapsed >= s_healthyRun ? s_firstDelay : delay;
            _logger.LogInformation("Restarting worker process {Slot} in {Delay} s.", slot, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, signals.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(s_maxDelay.Ticks, delay.Ticks * 2));
        }

        return ExitCodes.Ok;
    }

    /// <summary>Starts a child, or returns null when a stop was already requested.</summary>
    private Process? Start(ShutdownSignals signals, int slot)
    {
        var info = new ProcessStartInfo { UseShellExecute = false };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        info.FileName = host;
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Run as "dotnet mrq.dll": the children need the same entry assembly.
            info.ArgumentList.Add(typeof(ProcessSupervisor).Assembly.Location);
        }

        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[ConfigKeys.IsSubprocessVariable] = "1";
        info.Environment[ConfigKeys.ProcessIndexVariable] = slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            // Checked under the lock that Forward takes, so a child is never started after the stop was forwarded.
            if (signals.Stopping.IsCancellationRequested)
            {
                return null;
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("The process did not start.");
            _running.Add(process);
            return process;
        }
    }

    private void Forward(int signal, string name)
    {
        Process[] children;
        lock (_gate)
        {
            children = [.. _running];
        }

        foreach (var child in children)
        {
            if (NativeSignals.Send(child, signal))
            {
                _logger.LogInformation("Sent {Signal} to worker process {Pid}.", name, child.Id);
            }
        }
    }
}
