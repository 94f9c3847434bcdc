using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mrq.Storage;

namespace Mrq.Cli.Control;

/// <summary>
/// Calls the control endpoint of the process that holds a LiteDB file: one POST per operation, its arguments and
/// its answer as JSON. An error the holder raised is raised again here with its message and kind.
/// </summary>
internal sealed class ControlClient : IDisposable
{
    private readonly HttpClient _http;

    private ControlClient(ControlSocket socket, HttpClient http, ControlHello hello)
    {
        Socket = socket;
        _http = http;
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

        var handler = new SocketsHttpHandler { ConnectCallback = (_, token) => socket.ConnectAsync(token) };
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://mrq-control/"), Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(ControlProtocol.HelloTimeout);
            var hello = await PostAsync<ControlHello>(http, ControlProtocol.Hello, [], probe.Token).ConfigureAwait(false);
            return new ControlClient(socket, http, hello!);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            http.Dispose();
            return null;
        }
    }

    /// <summary>Runs an operation on the holder and returns its answer.</summary>
    /// <exception cref="ArgumentException">The holder refused the arguments.</exception>
    /// <exception cref="MrqStorageException">The holder's storage failed, or the holder went away.</exception>
    public Task<T?> CallAsync<T>(string operation, JsonObject arguments, CancellationToken cancellationToken) =>
        PostAsync<T>(_http, operation, arguments, cancellationToken, Socket);

    /// <summary>Runs an operation that answers nothing.</summary>
    public Task CallAsync(string operation, JsonObject arguments, CancellationToken cancellationToken) =>
        PostAsync<JsonNode>(_http, operation, arguments, cancellationToken, Socket);

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static async Task<T?> PostAsync<T>(HttpClient http, string operation, JsonObject arguments, CancellationToken cancellationToken, ControlSocket? socket = null)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(ControlProtocol.Route(operation), arguments, ControlJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (socket is not null)
        {
            throw new MrqStorageException($"The Mrq process holding '{socket.LiteDbPath}' stopped answering on {socket.Description}: {e.Message}", e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<T>(ControlJson.Options, cancellationToken).ConfigureAwait(false);
            }

            var error = await response.Content.ReadFromJsonAsync<ControlError>(ControlJson.Options, cancellationToken).ConfigureAwait(false);
            throw ControlProtocol.Rethrow(error ?? new ControlError(nameof(InvalidOperationException), $"control request '{operation}' failed with HTTP {(int)response.StatusCode}"));
        }
    }
}
