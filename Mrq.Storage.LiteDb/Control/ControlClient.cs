using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>
/// Calls the control endpoint of the process that holds a LiteDB file: one connection per operation, carrying its
/// request and its reply (so nothing is held between calls). An error the holder raised is raised again here with its message and kind.
/// </summary>
internal sealed class ControlClient
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private ControlClient(ControlSocket socket, ControlHello hello)
    {
        Socket = socket;
        Hello = hello;
    }

    /// <summary>The socket the holder listens on.</summary>
    public ControlSocket Socket { get; }

    /// <summary>What the holder said about itself when connected.</summary>
    public ControlHello Hello { get; }

    /// <summary>
    /// Connects to the holder of a LiteDB file, or returns null when no process answers there: no socket file, a
    /// stale one left by a killed process (connection refused), or a path too long for a socket.
    /// </summary>
    public static async Task<ControlClient?> TryConnectAsync(string liteDbPath, CancellationToken cancellationToken)
    {
        var socket = ControlSocket.For(liteDbPath);
        if (!socket.IsUsable || !socket.MayBeListening)
        {
            return null;
        }

        try
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(ControlProtocol.HelloTimeout);
            var hello = await CallAsync<ControlHello>(socket, ControlProtocol.Hello, [], probe.Token).ConfigureAwait(false);
            return new ControlClient(socket, hello!);
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException
                                   || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Runs an operation on the holder and returns its answer.</summary>
    /// <exception cref="ArgumentException">The holder refused the arguments.</exception>
    /// <exception cref="MrqStorageException">The holder's storage failed, or the holder went away.</exception>
    public async Task<T?> CallAsync<T>(string operation, JsonObject arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync<T>(Socket, operation, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new MrqStorageException($"The Mrq process holding '{Socket.LiteDbPath}' stopped answering on {Socket.Description}: {e.Message}", e);
        }
    }

    /// <summary>Runs an operation that answers nothing.</summary>
    public Task CallAsync(string operation, JsonObject arguments, CancellationToken cancellationToken) =>
        CallAsync<JsonNode>(operation, arguments, cancellationToken);

    private static async Task<T?> CallAsync<T>(ControlSocket socket, string operation, JsonObject arguments, CancellationToken cancellationToken)
    {
        var connection = await socket.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var request = JsonSerializer.SerializeToUtf8Bytes(new ControlRequest(operation, arguments), ControlJson.Options);
            await connection.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            await connection.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);

            // Not half-closed after the request: the holder takes the end of the connection for "the caller gave up".
            using var reader = new StreamReader(connection, s_utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException($"the connection closed before the reply to '{operation}'");
            var reply = JsonSerializer.Deserialize<ControlReply>(line, ControlJson.Options)
                ?? throw new JsonException($"an empty reply to '{operation}'");
            if (reply.Error is { } error)
            {
                throw ControlProtocol.Rethrow(error);
            }

            return reply.Value is null ? default : reply.Value.Deserialize<T>(ControlJson.Options);
        }
    }
}
