using System.IO.Pipes;
using System.Net.Sockets;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>
/// The listening end of a <see cref="ControlSocket"/>: a Unix domain socket made owner-only before it accepts
/// anything, or on Windows named pipe instances restricted to the current user. Accepted from one loop only.
/// </summary>
internal sealed class ControlListener : IDisposable
{
    private const int Backlog = 64;

    private readonly ControlSocket _socket;
    private readonly Socket? _unix;
    private NamedPipeServerStream? _nextPipe;

    private ControlListener(ControlSocket socket, Socket? unix, NamedPipeServerStream? pipe)
    {
        _socket = socket;
        _unix = unix;
        _nextPipe = pipe;
    }

    /// <summary>
    /// Listens on <paramref name="socket"/>, replacing a stale socket file: only the process that holds the LiteDB
    /// file's lock may call this.
    /// </summary>
    /// <exception cref="IOException">The socket cannot be bound (e.g. a read-only folder) or the pipe name is taken.</exception>
    public static ControlListener Start(ControlSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (OperatingSystem.IsWindows())
        {
            // The first instance is created now, so a taken name fails here rather than in the accept loop.
            return new ControlListener(socket, null, NewPipe(socket));
        }

        socket.RemoveStale();
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socket.Path));

            // Before Listen, so no other user can connect in between (connecting needs write permission).
            socket.RestrictToOwner();
            listener.Listen(Backlog);
            return new ControlListener(socket, listener, null);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException(e.Message, e);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next connection.</summary>
    public async ValueTask<Stream> AcceptAsync(CancellationToken cancellationToken)
    {
        if (_unix is not null)
        {
            var connection = await _unix.AcceptAsync(cancellationToken).ConfigureAwait(false);
            return new NetworkStream(connection, ownsSocket: true);
        }

        var pipe = _nextPipe ?? NewPipe(_socket);
        _nextPipe = null;
        try
        {
            await pipe.WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await pipe.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // A free instance at once, so a client connecting meanwhile finds the pipe.
        _nextPipe = NewPipe(_socket);
        return pipe;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _unix?.Dispose();
        _nextPipe?.Dispose();
    }

    private static NamedPipeServerStream NewPipe(ControlSocket socket) => new(
        socket.PipeName,
        PipeDirection.InOut,
        NamedPipeServerStream.MaxAllowedServerInstances,
        PipeTransmissionMode.Byte,
        PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
}
