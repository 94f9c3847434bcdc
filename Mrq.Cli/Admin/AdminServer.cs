using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Mrq.Workers;

namespace Mrq.Cli.Admin;

/// <summary>
/// MRQ's worker admin port (<c>--admin_port</c>, <c>--admin_ip</c>): <c>GET /wait_for_idle</c> answers <c>idle</c>
/// once the worker is idle (MRQ's semantics, <see cref="Worker.WaitForIdleAsync"/>); <c>GET /</c>, <c>/report</c>
/// and <c>/report_mem</c> answer the live worker report as JSON (only <c>/report_mem</c> fills cpu and memory, as
/// MRQ's); any other path is 404. A plain HTTP/1.0-style server (one request per connection), so it opens in
/// milliseconds, before the storage is connected.
/// </summary>
internal sealed class AdminServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;

    private readonly TcpListener _listener;
    private readonly Worker _worker;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private AdminServer(TcpListener listener, Worker worker, ILogger logger)
    {
        _listener = listener;
        _worker = worker;
        _logger = logger;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port listened on (the one asked for, or the one chosen for port 0 in tests).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts listening.</summary>
    /// <exception cref="CliUsageException">The address is not an IP address, or the port cannot be bound.</exception>
    public static AdminServer Start(string ip, int port, Worker worker, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(logger);
        if (!IPAddress.TryParse(ip, out var address))
        {
            throw new CliUsageException($"admin_ip '{ip}' is not an IP address.");
        }

        if (port is < 0 or > 65535)
        {
            throw new CliUsageException($"admin_port must be between 1 and 65535 (got {port}).");
        }

        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            throw new CliUsageException($"admin port {ip}:{port} cannot be opened: {ex.Message}", ex);
        }

        var server = new AdminServer(listener, worker, logger);
        logger.LogDebug("Admin server listening on {Ip}:{Port}.", ip, server.Port);
        return server;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var path = await ReadPathAsync(stream, _stop.Token).ConfigureAwait(false);
                var (status, body) = await AnswerAsync(path).ConfigureAwait(false);
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token).ConfigureAwait(false);
                await stream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client left, or the worker is stopping: nothing to answer.
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Admin request failed.");
            }
        }
    }

    private async Task<(string Status, string Body)> AnswerAsync(string? path)
    {
        switch (path)
        {
            case "/" or "/report" or "/report_mem":
                return ("200 OK", AdminReportJson.Write(_worker.BuildReport(withMemory: path == "/report_mem")));
            case "/wait_for_idle":
                await _worker.WaitForIdleAsync(_stop.Token).ConfigureAwait(false);
                return ("200 OK", "idle");
            default:
                return ("404 Not Found", string.Empty);
        }
    }

    /// <summary>The path of a GET request (query string removed), or null for anything else.</summary>
    private static async Task<string?> ReadPathAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        var text = Encoding.ASCII.GetString(buffer, 0, length);
        var line = text.Split("\r\n", 2)[0].Split(' ');
        if (line.Length < 2 || line[0] != "GET")
        {
            return null;
        }

        var target = line[1];
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 ? target[..query] : target;
    }
}
