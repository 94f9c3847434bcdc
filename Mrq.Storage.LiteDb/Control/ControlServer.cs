using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.Monitoring;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>
/// The control endpoint of a process that holds a LiteDB file: its <see cref="IMrqMonitor"/> and
/// <see cref="IJobClient"/> served on <see cref="ControlSocket"/>, so that <c>mrq jobs</c>, <c>mrq queues</c>,
/// <c>mrq run --queue</c> and <c>mrq dashboard</c> from other processes work on the file while it is held. Start it
/// only once the file is open (its lock is what makes replacing a stale socket safe); dispose it before closing the
/// file (so its socket is never removed after another process took the file and its own socket).
/// </summary>
internal sealed class ControlServer : IAsyncDisposable, IDisposable
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ControlSocket _socket;
    private readonly ControlListener _listener;
    private readonly Dictionary<string, ControlOperations.Operation> _operations;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _accepting;
    private int _disposed;

    private ControlServer(ControlSocket socket, ControlListener listener, Dictionary<string, ControlOperations.Operation> operations, ILogger logger)
    {
        _socket = socket;
        _listener = listener;
        _operations = operations;
        _logger = logger;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The socket served.</summary>
    public ControlSocket Socket => _socket;

    /// <summary>The connections being served (their requests running or being answered).</summary>
    public int ActiveRequests => _connections.Count;

    /// <summary>
    /// Serves the monitor and the client (resolved on the first request) on the file's control socket, or returns
    /// null, with a warning, when it cannot: the endpoint is a convenience, never a reason to refuse the file.
    /// </summary>
    public static ControlServer? Start(string liteDbPath, Func<IMrqMonitor> monitor, Func<IJobClient> client, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        var socket = ControlSocket.For(liteDbPath);
        if (!socket.IsUsable)
        {
            logger.LogWarning("No control endpoint: the socket path {Socket} is too long for the operating system, so other mrq commands cannot use {File} while this process holds it.", socket.Path, socket.LiteDbPath);
            return null;
        }

        ControlListener listener;
        try
        {
            listener = ControlListener.Start(socket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("No control endpoint on {Socket}: {Reason}. Other mrq commands cannot use {File} while this process holds it.", socket.Description, e.Message, socket.LiteDbPath);
            return null;
        }

        logger.LogInformation("Control endpoint: {Socket} (mrq jobs, queues, run --queue and dashboard from other processes go through it).", socket.Description);
        return new ControlServer(socket, listener, ControlOperations.For(socket, monitor, client), logger);
    }

    /// <summary>Stops accepting, waits for the requests being served (they are cancelled) and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Stop())
        {
            return;
        }

        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _socket.RemoveStale();
        _stopping.Dispose();
    }

    /// <summary>Stops accepting, cancels the requests being served and removes the socket without waiting for them.</summary>
    public void Dispose()
    {
        if (Stop())
        {
            _socket.RemoveStale();
        }
    }

    private bool Stop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        _stopping.Cancel();
        _listener.Dispose();
        return true;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Stream connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // E.g. out of file descriptors: keep serving once it passes, without spinning.
                _logger.LogWarning("Control endpoint {Socket}: accepting a connection failed: {Reason}", _socket.Description, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var served = Task.Run(() => ServeAsync(connection));
            _connections.TryAdd(served, 0);
            _ = served.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Stream connection)
    {
        await using (connection.ConfigureAwait(false))
        {
            string? line;
            try
            {
                using var reader = new StreamReader(connection, s_utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                line = await reader.ReadLineAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (line is null)
            {
                return;
            }

            using var call = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var hangUp = CancelOnHangUpAsync(connection, call);
            var reply = await RunAsync(line, call.Token).ConfigureAwait(false);
            if (reply is not null)
            {
                try
                {
                    var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, ControlJson.Options);
                    await connection.WriteAsync(bytes, _stopping.Token).ConfigureAwait(false);
                    await connection.WriteAsync("\n"u8.ToArray(), _stopping.Token).ConfigureAwait(false);
                    await connection.FlushAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // The caller left: nobody to answer.
                }
            }

            await call.CancelAsync().ConfigureAwait(false);
            await hangUp.ConfigureAwait(false);
        }
    }

    /// <summary>A caller waits for exactly one reply and sends nothing more: the connection ending first means it gave up.</summary>
    private static async Task CancelOnHangUpAsync(Stream connection, CancellationTokenSource call)
    {
        try
        {
            await connection.ReadAsync(new byte[1], call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A broken connection is a hang-up too.
        }

        await call.CancelAsync().ConfigureAwait(false);
    }

    private async Task<ControlReply?> RunAsync(string line, CancellationToken cancellationToken)
    {
        ControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<ControlRequest>(line, ControlJson.Options);
        }
        catch (JsonException e)
        {
            return Failed(new ControlError(nameof(ArgumentException), $"Bad control request: {e.Message}"));
        }

        if (request?.Operation is not { } name || !_operations.TryGetValue(name, out var operation))
        {
            return Failed(new ControlError(nameof(ArgumentException), $"Unknown control operation '{request?.Operation}'."));
        }

        try
        {
            var answer = await operation(request.Arguments ?? [], cancellationToken).ConfigureAwait(false);
            return new ControlReply(ControlJson.ToNode(answer), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (JsonException e)
        {
            return Failed(new ControlError(nameof(ArgumentException), $"Bad control request: {e.Message}"));
        }
        catch (Exception e)
        {
            return Failed(ControlProtocol.Describe(e));
        }
    }

    private static ControlReply Failed(ControlError error) => new(null, error);
}
