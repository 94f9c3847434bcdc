using Spectre.Console;

namespace Mrq.Cli.Output;

/// <summary>
/// A status line kept at the bottom of the terminal by Spectre.Console and refreshed from <c>text</c> until disposed;
/// log lines written through the same console appear above it.
/// </summary>
internal sealed class LiveStatus : IAsyncDisposable
{
    private readonly IAnsiConsole _console;
    private readonly Func<CancellationToken, ValueTask<string>> _text;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _display;

    /// <summary>Starts showing the status on <paramref name="console"/>.</summary>
    internal LiveStatus(IAnsiConsole console, Func<CancellationToken, ValueTask<string>> text, TimeSpan interval)
    {
        _console = console;
        _text = text;
        _interval = interval;
        _display = Task.Run(ShowAsync);
    }

    /// <summary>
    /// Starts a status on the terminal when the command runs on one (standard output and error not redirected, not a
    /// child of <c>mrq worker --processes</c>); null otherwise.
    /// </summary>
    public static LiveStatus? StartIfTerminal(CliConsole console, Func<CancellationToken, ValueTask<string>> text, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(console);
        return TerminalConsole.IsAvailable && console.IsInteractive && !console.IsSubprocess
            ? new LiveStatus(TerminalConsole.Instance, text, interval)
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _display.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ShowAsync()
    {
        try
        {
            await _console.Status().StartAsync(
                Markup.Escape(await _text(_stop.Token).ConfigureAwait(false)),
                async context =>
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
                        context.Status(Markup.Escape(await _text(_stop.Token).ConfigureAwait(false)));
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposed: Spectre removes the status line.
        }
    }
}
