using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

/// <summary>
/// A redis-server of the test's own on a free 127.0.0.1 port (daemonized, stopped by its PID), for tests that stop
/// and restart the server: the shared test server must never be shut down by a test. Ignores the test when
/// redis-server is not installed.
/// </summary>
internal sealed class PrivateRedisServer : IAsyncDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly string _executable;
    private int? _pid;

    private PrivateRedisServer(string executable, int port)
    {
        _executable = executable;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("mrq-redis-").FullName;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<PrivateRedisServer> StartAsync()
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
        if (executable is null)
        {
            Assert.Ignore("redis-server is not installed (apt-get install -y redis-server).");
        }

        var server = new PrivateRedisServer(executable!, FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>(Re)starts the server on the same port, empty (nothing is persisted).</summary>
    public async Task StartAgainAsync()
    {
        var pidFile = Path.Combine(_directory, "redis.pid");
        File.Delete(pidFile);
        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", string.Empty, "--appendonly", "no", "--daemonize", "yes",
            "--pidfile", pidFile, "--dir", _directory, "--logfile", Path.Combine(_directory, "redis.log"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        using (var launcher = System.Diagnostics.Process.Start(start)!)
        {
            await launcher.WaitForExitAsync();
        }

        var clock = Stopwatch.StartNew();
        while (!(File.Exists(pidFile) && await PingAsync()))
        {
            if (clock.Elapsed > s_deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}: see {_directory}/redis.log");
            }

            await Task.Delay(50);
        }

        _pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Kills the server by its PID and waits until its port is closed.</summary>
    public async Task StopAsync()
    {
        if (_pid is not { } pid)
        {
            return;
        }

        _pid = null;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        var clock = Stopwatch.StartNew();
        while (await PingAsync())
        {
            if (clock.Elapsed > s_deadline)
            {
                throw new InvalidOperationException($"redis-server (pid {pid}) on port {Port} did not stop.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
