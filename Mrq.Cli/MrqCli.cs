using System.CommandLine;
using Microsoft.Extensions.Options;
using Mrq.Cli.Commands;
using Mrq.Context;
using Mrq.Storage;

namespace Mrq.Cli;

/// <summary>
/// The <c>mrq</c> command line: <c>worker</c>, <c>run</c>, <c>jobs</c>, <c>queues</c>. Bad input is reported as one
/// line on stderr with exit code 2 before anything changes; a storage that cannot be used, with its message and
/// exit code 1 (no stack trace unless <c>--log-level debug</c>).
/// </summary>
internal static class MrqCli
{
    /// <summary>Parses and runs a command line.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var globals = new GlobalOptions();
        var root = new RootCommand("Mrq for .NET: a job queue (MRQ re-implemented). Embedded on one LiteDB file by default; distributed with --mongodb-jobs and --redis.");
        globals.AddTo(root);
        root.Subcommands.Add(new WorkerCommand(globals, console, args).Command);
        root.Subcommands.Add(new RunCommand(globals, console).Command);
        root.Subcommands.Add(new JobsCommand(globals, console).Command);
        root.Subcommands.Add(new QueuesCommand(globals, console).Command);
        root.Subcommands.Add(new DashboardCommand(globals, console).Command);

        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"mrq: {error.Message}").ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            // Signals are handled by the commands that run work (ShutdownSignals): MRQ's two-step stop.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
            Output = console.Out,
            Error = console.Error,
        };
        var verbose = IsVerbose(args);
        try
        {
            return await parse.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            return await FailAsync(console, ex.Message, ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            return await FailAsync(console, $"invalid options: {string.Join(" ", ex.Failures)}", ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            return await FailAsync(console, $"invalid configuration: {ex.Message}", ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (MrqStorageException ex)
        {
            return await FailAsync(console, verbose ? ex.ToString() : ex.Message, ExitCodes.Failure).ConfigureAwait(false);
        }
        catch (TaskNotFoundException ex)
        {
            return await FailAsync(console, ex.Message, ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return await FailAsync(console, verbose ? ex.ToString() : $"{ex.GetType().Name}: {ex.Message}", ExitCodes.Failure).ConfigureAwait(false);
        }
    }

    /// <summary>True with <c>--log-level debug</c> or <c>trace</c>: errors are printed with their stack trace.</summary>
    private static bool IsVerbose(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = args[i].Split('=', ':') is [var n, var v] ? (n, v) : (args[i], i + 1 < args.Length ? args[i + 1] : null);
            if (name is "--log-level" or "--log_level" && value?.ToUpperInvariant() is "DEBUG" or "TRACE")
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<int> FailAsync(CliConsole console, string message, int code)
    {
        await console.Error.WriteLineAsync($"mrq: {message}").ConfigureAwait(false);
        return code;
    }
}
