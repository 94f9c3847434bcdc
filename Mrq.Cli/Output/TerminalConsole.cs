using Spectre.Console;

namespace Mrq.Cli.Output;

/// <summary>
/// The terminal, through Spectre.Console on standard error, when standard error is a terminal. Live status displays
/// and log lines share this one console, so Spectre keeps the status line below the log lines instead of the two
/// overwriting each other; results stay on standard output, untouched.
/// </summary>
internal static class TerminalConsole
{
    private static readonly Lazy<IAnsiConsole> s_console = new(
        () => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));

    /// <summary>True when standard error is a terminal (not redirected to a file or a pipe).</summary>
    public static bool IsAvailable => !Console.IsErrorRedirected;

    /// <summary>The shared console on standard error.</summary>
    public static IAnsiConsole Instance => s_console.Value;
}
