using System.Diagnostics;
using System.Text;
using Mrq.Cli.Supervisor;
using Mrq.Tests.Support;
using NUnit.Framework;
using OsProcess = System.Diagnostics.Process;

namespace Mrq.Tests.Process;

/// <summary>
/// The real <c>mrq</c> command as a child process (<c>dotnet mrq.dll …</c>), with its stdout and stderr captured.
/// Inherited <c>MRQ_*</c> variables are removed so only the test's environment applies. Disposing kills it if
/// it is still running.
/// </summary>
internal sealed class MrqCliProcess : IAsyncDisposable
{
    private readonly OsProcess _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private MrqCliProcess(OsProcess process)
    {
        _process = process;
    }

    /// <summary>The <c>mrq.dll</c> the tests run (copied next to the test assembly by the project reference).</summary>
    public static string MrqDll => typeof(Cli.MrqCli).Assembly.Location;

    /// <summary>The <c>dotnet</c> running the tests (so the same runtime runs <c>mrq</c>), else the one on the PATH.</summary>
    private static string DotnetHost => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>What the process wrote to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>What the process wrote to stderr so far (its logs and errors).</summary>
    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>mrq</c> with <paramref name="args"/> in <paramref name="directory"/>.</summary>
    public static MrqCliProcess Start(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartDll(MrqDll, directory, environment, args);

    /// <summary>
    /// Starts <c>mrq</c> with SIGINT inherited as ignored, as a background job of a non-interactive shell
    /// (<c>mrq worker &amp;</c> in a script) starts it: through <c>sh</c>, which ignores it and then execs (same pid).
    /// </summary>
    public static MrqCliProcess StartWithSigIntIgnored(string directory, params string[] args) =>
        StartDll(MrqDll, directory, null, args, sigIntIgnored: true);

    /// <summary>Starts another .NET program (e.g. Mrq.Samples' host) the same way.</summary>
    public static MrqCliProcess StartDll(string dll, string directory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartDll(dll, directory, environment, args, sigIntIgnored: false);

    private static MrqCliProcess StartDll(string dll, string directory, IReadOnlyDictionary<string, string>? environment, string[] args, bool sigIntIgnored)
    {
        var info = new ProcessStartInfo(sigIntIgnored ? "/bin/sh" : DotnetHost)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (sigIntIgnored)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("trap '' INT; exec \"$0\" \"$@\"");
            info.ArgumentList.Add(DotnetHost);
        }

        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MRQ_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new OsProcess { StartInfo = info };
        var cli = new MrqCliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(cli._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => cli.Append(cli._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Sends SIGINT or SIGTERM.</summary>
    public void Signal(int signal) =>
        Assert.That(NativeSignals.Send(_process, signal), Is.True, $"could not send signal {signal} to mrq (pid {Id}); {Describe()}");

    /// <summary>SIGKILL: the process dies at once, as in a crash.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Waits until stderr contains <paramref name="text"/>.</summary>
    public Task WaitForStderrAsync(string text) =>
        WaitUntilAsync(() => Stderr.Contains(text, StringComparison.Ordinal), $"mrq's stderr shows '{text}'");

    /// <summary>Waits until a file exists (e.g. the marker <c>samples.WaitForFile</c> writes when its job starts).</summary>
    public Task WaitForFileAsync(string path) => WaitUntilAsync(() => File.Exists(path), $"{path} exists");

    /// <summary>Polls <paramref name="condition"/>; fails at once if the process ends first, or after <see cref="Wait.Long"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait.Long;
        while (!condition())
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                if (condition())
                {
                    return;
                }

                Assert.Fail($"mrq exited (code {_process.ExitCode}) before {what}; {Describe()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}; {Describe()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the process to end (and its output to be read) and returns how it ended.</summary>
    public async Task<CliResult> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Wait.Long);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"mrq (pid {Id}) did not exit within {Wait.Long.TotalSeconds} s; {Describe()}");
        }

        return new CliResult(_process.ExitCode, Stdout, Stderr);
    }

    /// <summary>The output so far, for assertion messages.</summary>
    public string Describe() => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            builder.Append(line).Append('\n');
        }
    }
}
