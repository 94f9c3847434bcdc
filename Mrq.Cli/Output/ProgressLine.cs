using System.Diagnostics;
using System.Globalization;
using Mrq.Workers;

namespace Mrq.Cli.Output;

/// <summary>
/// A live status line for a worker on a terminal: "N done, X jobs/s, status", rewritten in place every second.
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly IMrqWorker _worker;
    private readonly TextWriter _writer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _lastLength;

    private ProgressLine(IMrqWorker worker, TextWriter writer)
    {
        _worker = worker;
        _writer = writer;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts the line when <paramref name="console"/> is a terminal; null otherwise.</summary>
    public static ProgressLine? StartIfInteractive(IMrqWorker worker, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(console);
        return console.IsInteractive && !console.IsSubprocess ? new ProgressLine(worker, console.Out) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var clock = Stopwatch.StartNew();
        var lastDone = _worker.DoneJobs;
        var lastTime = clock.Elapsed;
        using var timer = new PeriodicTimer(s_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var done = _worker.DoneJobs;
                var now = clock.Elapsed;
                var rate = (done - lastDone) / Math.Max(0.001, (now - lastTime).TotalSeconds);
                (lastDone, lastTime) = (done, now);
                Write(string.Create(CultureInfo.InvariantCulture, $"{done} done, {rate:0.0} jobs/s, {_worker.Status}"));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        if (_lastLength > 0)
        {
            await _writer.WriteLineAsync().ConfigureAwait(false);
            await _writer.FlushAsync().ConfigureAwait(false);
        }
    }

    private void Write(string text)
    {
        var padded = text.PadRight(_lastLength);
        _lastLength = text.Length;
        _writer.Write("\r" + padded);
        _writer.Flush();
    }
}
