using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.Monitoring;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>
/// Serves the control endpoint of a LiteDB file for as long as this storage holds it: started right after the file
/// is opened, whichever host opened it (a generic host's worker or job client, <c>mrq worker</c>, any command), and
/// stopped before the file is closed. Owned by the storage ahead of the database, see
/// <see cref="LiteDbStorage.AddTo(MrqStorageParts, LiteDbStorageOptions, Func{LiteDbDatabase, LiteDbControlEndpoint})"/>.
/// </summary>
internal sealed class LiteDbControlEndpoint(LiteDbDatabase database, Func<IMrqMonitor> monitor, Func<IJobClient> client, ILogger logger)
    : IStorageInitializer, IAsyncDisposable, IDisposable
{
    private ControlServer? _server;

    /// <summary>The server, while it serves.</summary>
    public ControlServer? Server => _server;

    /// <summary>Opens the file (its lock makes replacing a stale socket safe), then serves its socket.</summary>
    /// <exception cref="MrqStorageException">The file cannot be opened.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _server ??= ControlServer.Start(database.FilePath, monitor, client, logger);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Interlocked.Exchange(ref _server, null)?.Dispose();
}
