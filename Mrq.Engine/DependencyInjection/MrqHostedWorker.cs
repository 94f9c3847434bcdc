using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mrq.Workers;

namespace Mrq.DependencyInjection;

/// <summary>Runs a worker for the life of the host. StopAsync = graceful stop; the host's shutdown deadline = interrupt.</summary>
internal sealed class MrqHostedWorker : IHostedService, IDisposable
{
    private readonly IMrqWorkerFactory _factory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private Task? _run;

    public MrqHostedWorker(IMrqWorkerFactory factory, ILoggerFactory loggerFactory)
    {
        _factory = factory;
        _logger = loggerFactory.CreateLogger("Mrq.HostedWorker");
    }

    public IMrqWorker? Worker { get; private set; }

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
            await worker.RunAsync(_stopping.Token, _aborting.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogCritical(ex, "The Mrq worker failed.");
            throw;
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
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _aborting.Dispose();
        (Worker as IDisposable)?.Dispose();
    }
}
