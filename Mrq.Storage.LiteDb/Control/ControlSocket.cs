using System.IO.Pipes;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>
/// Where the process holding a LiteDB file answers control requests: a Unix domain socket beside the file
/// (<c>jobs.db</c> → <c>jobs.db-control.sock</c>, mode 0600, so only the file's owner can connect), or on Windows a
/// named pipe named after the file's full path.
/// </summary>
internal sealed class ControlSocket
{
    /// <summary>What is appended to the LiteDB file's path to name its socket.</summary>
    public const string Suffix = "-control.sock";

    // sockaddr_un.sun_path holds 108 bytes on Linux (104 on macOS), including the terminating NUL.
    private const int MaxUnixSocketPathBytes = 103;

    // A pipe nobody serves is waited for, unlike a socket nobody listens on: give up after this long.
    private const int PipeConnectTimeoutMs = 2000;

    private ControlSocket(string liteDbPath)
    {
        LiteDbPath = liteDbPath;
        Path = liteDbPath + Suffix;
        PipeName = "mrq-control-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(liteDbPath.ToUpperInvariant())))[..32];
    }

    /// <summary>The LiteDB file.</summary>
    public string LiteDbPath { get; }

    /// <summary>The Unix domain socket's path.</summary>
    public string Path { get; }

    /// <summary>The named pipe's name (Windows).</summary>
    public string PipeName { get; }

    /// <summary>A description for messages.</summary>
    public string Description => OperatingSystem.IsWindows() ? $@"\\.\pipe\{PipeName}" : Path;

    /// <summary>True when the socket's path fits the operating system's limit (a longer one cannot be bound or reached).</summary>
    public bool IsUsable => OperatingSystem.IsWindows() || Encoding.UTF8.GetByteCount(Path) <= MaxUnixSocketPathBytes;

    /// <summary>True when something may be listening: the socket file exists (always true for a pipe, which is tried).</summary>
    public bool MayBeListening => OperatingSystem.IsWindows() || File.Exists(Path);

    /// <summary>The control socket of a LiteDB file.</summary>
    public static ControlSocket For(string liteDbPath) => new(System.IO.Path.GetFullPath(liteDbPath));

    /// <summary>
    /// Removes a socket file no process listens on any more (its owner was killed): only the process that holds the
    /// LiteDB file's lock calls this, so no live endpoint can be removed.
    /// </summary>
    public void RemoveStale()
    {
        if (!OperatingSystem.IsWindows() && File.Exists(Path))
        {
            File.Delete(Path);
        }
    }

    /// <summary>Restricts the socket to the file's owner (connecting needs write permission on it): call before listening.</summary>
    public void RestrictToOwner()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Opens a connection to the holder.</summary>
    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            var pipe = new NamedPipeClientStream(".", PipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
            try
            {
                await pipe.ConnectAsync(PipeConnectTimeoutMs, cancellationToken).ConfigureAwait(false);
                return pipe;
            }
            catch
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
