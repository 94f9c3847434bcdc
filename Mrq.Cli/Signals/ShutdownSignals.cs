using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Mrq.Cli.Signals;

/// <summary>
/// MRQ's shutdown signals as two tokens: the first SIGINT (Ctrl+C) cancels <see cref="Stopping"/> (claim nothing new,
/// let running jobs finish); a second SIGINT, or SIGTERM, also cancels <see cref="Aborting"/> (interrupt running jobs).
/// The default termination is cancelled, so the process ends when the work has saved its state.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly ILogger _logger;
    private int _interrupts;

    public ShutdownSignals(ILogger logger)
    {
        _logger = logger;
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterrupt));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate));
    }

    /// <summary>Cancelled by the first SIGINT, and by any abort.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by a second SIGINT or by SIGTERM.</summary>
    public CancellationToken Aborting => _aborting.Token;

    /// <summary>Requests a graceful stop, as the first SIGINT does.</summary>
    public void Stop() => _stopping.Cancel();

    /// <summary>Requests an abort, as SIGTERM does.</summary>
    public void Abort()
    {
        _stopping.Cancel();
        _aborting.Cancel();
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
        if (Interlocked.Increment(ref _interrupts) == 1)
        {
            _logger.LogWarning("SIGINT: stopping; running jobs finish first (send SIGINT again, or SIGTERM, to interrupt them).");
            Stop();
        }
        else
        {
            _logger.LogWarning("Second SIGINT: interrupting running jobs.");
            Abort();
        }
    }

    private void OnTerminate(PosixSignalContext context)
    {
        context.Cancel = true;
        _logger.LogWarning("SIGTERM: interrupting running jobs.");
        Abort();
    }
}
