using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Mrq.Cli.Signals;

/// <summary>
/// MRQ's shutdown signals as two tokens: the first SIGINT (Ctrl+C) cancels <see cref="Stopping"/> (claim nothing new,
/// let running jobs finish); a second SIGINT, or SIGTERM, also cancels <see cref="Aborting"/> (interrupt running jobs).
/// The default termination is cancelled, so the process ends when the work has saved its state.
/// A worker process under <c>--processes</c> gets Ctrl+C twice, from the terminal and forwarded by its supervisor,
/// so there a second SIGINT within <see cref="SubprocessDuplicateWindow"/> of the first counts as the same one.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly ILogger _logger;
    private readonly TimeSpan _duplicateWindow;
    private readonly Lock _gate = new();
    private long _firstInterrupt;
    private int _interrupts;

    public ShutdownSignals(ILogger logger, bool isSubprocess = false)
    {
        _logger = logger;
        _duplicateWindow = isSubprocess ? SubprocessDuplicateWindow : TimeSpan.Zero;
        Supervisor.NativeSignals.RestoreDefaultIfIgnored(Supervisor.NativeSignals.SigInt);
        Supervisor.NativeSignals.RestoreDefaultIfIgnored(Supervisor.NativeSignals.SigTerm);
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterrupt));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate));
    }

    /// <summary>How close a second SIGINT must follow the first, in a worker process under a supervisor, to be ignored.</summary>
    public static TimeSpan SubprocessDuplicateWindow { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Cancelled by the first SIGINT, and by any abort.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by a second SIGINT or by SIGTERM.</summary>
    public CancellationToken Aborting => _aborting.Token;

    /// <summary>Requests a graceful stop, as the first SIGINT does.</summary>
    public void Stop() => _stopping.Cancel();

    /// <summary>Requests an abort, as SIGTERM does.</summary>
    public void Abort()
    {
        // Aborting first, so whoever sees the stop also sees it is an abort.
        _aborting.Cancel();
        _stopping.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
        _aborting.Dispose();
    }

    private void OnInterrupt(PosixSignalContext context)
    {
        context.Cancel = true;
        bool first, duplicate;
        lock (_gate)
        {
            first = _interrupts++ == 0;
            if (first)
            {
                _firstInterrupt = Stopwatch.GetTimestamp();
            }

            duplicate = !first && Stopwatch.GetElapsedTime(_firstInterrupt) < _duplicateWindow;
        }

        // The state changes before the log line: whoever reads the line may rely on the stop being in effect.
        if (first)
        {
            Stop();
            _logger.LogWarning("SIGINT: stopping; running jobs finish first (send SIGINT again, or SIGTERM, to interrupt them).");
        }
        else if (duplicate)
        {
            _logger.LogDebug("SIGINT again within {Window} s: the same Ctrl+C, from the terminal and from the supervisor.", _duplicateWindow.TotalSeconds);
        }
        else
        {
            Abort();
            _logger.LogWarning("Second SIGINT: interrupting running jobs.");
        }
    }

    private void OnTerminate(PosixSignalContext context)
    {
        context.Cancel = true;
        Abort();
        _logger.LogWarning("SIGTERM: interrupting running jobs.");
    }
}
