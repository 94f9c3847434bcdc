using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mrq.Workers;

namespace Mrq.DependencyInjection;

/// <summary>
/// Runs a worker for the life of the host. StopAsync = graceful stop; the host's shutdown deadline = interrupt.
/// A worker that fails (or ends by itself, e.g. at max_jobs) is visible to the worker health check, and with
/// <see cref="MrqHostedWorkerOptions.StopApplicationOnFailure"/> it stops the host instead of leaving it running without a worker.
/// </summary>
internal sealed class MrqHostedWorker : IHostedService, IDisposable
{
    private readonly IMrqWorkerFactory _factory;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly MrqHostedWorkerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private Task? _run;

    public MrqHostedWorker(IMrqWorkerFactory factory, ILoggerFactory loggerFactory, MrqHostedWorkerOptions options, IHostApplicationLifetime? lifetime = null)
    {
        _factory = factory;
        _options = options;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger("Mrq.HostedWorker");
    }

    public IMrqWorker? Worker { get; private set; }

    /// <summary>Why the worker ended while the host did not ask it to: its exception, or its exit reason; null while it runs.</summary>
    public string? EndedUnexpectedly { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Worker = _factory.Create();
        _run = Task.Run(() => RunAsync(Worker), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(IMrqWorker worker)
    {
        try
        {
            var reason = await worker.RunAsync(_stopping.Token, _aborting.Token).ConfigureAwait(false);
            if (!_stopping.IsCancellationRequested)
            {
                EndedUnexpectedly = $"the worker ended by itself ({reason}) while the host still runs";
                _logger.LogWarning("The Mrq worker ended ({Reason}) while the host still runs; no jobs are processed by this host any more.", reason);
                StopApplicationIfAsked();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            EndedUnexpectedly = $"the worker failed: {ex.GetType().Name}: {ex.Message}";
            _logger.LogCritical(ex, "The Mrq worker failed.");
            StopApplicationIfAsked();
            throw;
        }
    }

    private void StopApplicationIfAsked()
    {
        if (_options.StopApplicationOnFailure && _lifetime is not null)
        {
            _logger.LogCritical("Stopping the host: its Mrq worker is no longer running (StopApplicationOnFailure).");
            _lifetime.StopApplication();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_run is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using var registration = cancellationToken.Register(() => _aborting.Cancel());
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped before the storage finished initializing.
        }
        catch (Exception) when (EndedUnexpectedly is not null)
        {
            // Already logged when the worker failed; stopping the host must not fail because of it.
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _aborting.Dispose();
        (Worker as IDisposable)?.Dispose();
    }
}
