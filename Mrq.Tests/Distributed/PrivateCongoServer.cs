using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mrq.Cli.Supervisor;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Distributed;

/// <summary>
/// A CongoDB (MongoDB-wire test server) of the test's own on a free 127.0.0.1 port, keeping its data in a file across
/// restarts (<c>tools/mongo-wire/start-congo-persistent.mjs</c>: a snapshot written when it stops, read when it starts),
/// for tests that restart the server: the shared test server must never be stopped by a test. Stopped with SIGTERM by
/// its PID. The test is ignored (failed in CI) when node or the npm packages are missing.
/// </summary>
internal sealed class PrivateCongoServer : IAsyncDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    private readonly string _node;
    private readonly string _script;
    private readonly string _directory;
    private readonly Lock _gate = new();
    private System.Diagnostics.Process? _process;

    private PrivateCongoServer(string node, string script, int port)
    {
        _node = node;
        _script = script;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("mrq-congo-").FullName;
    }

    public int Port { get; }

    /// <summary>The server URL (no database).</summary>
    public string Url => $"mongodb://127.0.0.1:{Port}/?directConnection=true";

    /// <summary>The snapshot file.</summary>
    public string DataFile => Path.Combine(_directory, "congo.ejson");

    /// <summary>What the server printed (its start and restore messages, errors).</summary>
    public string Output { get; private set; } = string.Empty;

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<PrivateCongoServer> StartAsync()
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);
        var tools = FindToolsDirectory();
        if (node is null || tools is null || !Directory.Exists(Path.Combine(tools, "node_modules", "@push.rocks", "smartmongo")))
        {
            TestServers.Unavailable("A private MongoDB-wire server needs node and tools/mongo-wire/node_modules (npm ci --prefix tools/mongo-wire).");
        }

        var server = new PrivateCongoServer(node!, Path.Combine(tools!, "start-congo-persistent.mjs"), Storage.Redis.PrivateRedisServer.FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>(Re)starts the server on the same port with the data of its last stop.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(_node)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(_script);
        start.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(DataFile);
        var process = new System.Diagnostics.Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var clock = Stopwatch.StartNew();
        while (!await AcceptsAsync())
        {
            if (process.HasExited || clock.Elapsed > s_deadline)
            {
                throw new InvalidOperationException($"CongoDB did not start on port {Port}: {Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops the server with SIGTERM (it writes its snapshot) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        using (process)
        {
            NativeSignals.Send(process, NativeSignals.SigTerm);
            using var timeout = new CancellationTokenSource(s_deadline);
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            using (process)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                Output += line + "\n";
            }
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>tools/mongo-wire of the repository the tests were built from (searched upwards from the test binaries).</summary>
    private static string? FindToolsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "mongo-wire");
            if (File.Exists(Path.Combine(candidate, "start-congo-persistent.mjs")))
            {
                return candidate;
            }
        }

        return null;
    }
}
