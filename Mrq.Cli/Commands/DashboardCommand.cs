using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Control;
using Mrq.Cli.Hosting;
using Mrq.Cli.Signals;

namespace Mrq.Cli.Commands;

/// <summary>
/// <c>mrq dashboard</c>: serves the web dashboard over the configured storage until Ctrl+C. Binds 127.0.0.1 by
/// default (local requests only); another address needs an access token (<c>--token</c> or <c>MRQ_DASHBOARD_TOKEN</c>),
/// which browsers send as the basic-auth password. On a LiteDB file another process holds, it goes through that
/// process's control endpoint; on a file it opens itself, it serves that endpoint for other commands.
/// </summary>
internal sealed class DashboardCommand
{
    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;
    private readonly Option<int> _port = new("--port") { Description = $"The TCP port (default {DashboardServer.DefaultPort}; 0 picks a free one).", HelpName = "port", DefaultValueFactory = _ => DashboardServer.DefaultPort };
    private readonly Option<string> _bind = new("--bind") { Description = "The address to listen on (default 127.0.0.1). A non-loopback address requires --token.", HelpName = "address", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<string> _token = new("--token") { Description = $"An access token every request must present (basic-auth password or bearer token); default: ${DashboardServer.TokenVariable}.", HelpName = "secret" };
    private readonly Option<bool> _readOnly = new("--read-only") { Description = "Hide and refuse every action (cancel, requeue, pause, resume)." };

    public DashboardCommand(GlobalOptions globals, CliConsole console)
    {
        _globals = globals;
        _console = console;
        Command = new Command("dashboard", "Serve the web dashboard (queues, jobs, workers, tasks, actions) until Ctrl+C.");
        Command.Options.Add(_port);
        Command.Options.Add(_bind);
        Command.Options.Add(_token);
        Command.Options.Add(_readOnly);
        Command.SetAction(RunAsync);
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var port = parse.GetValue(_port);
        if (port is < 0 or > 65535)
        {
            throw new CliUsageException($"--port must be from 0 to 65535 (got {port}).");
        }

        var bindText = parse.GetValue(_bind) ?? "127.0.0.1";
        if (!IPAddress.TryParse(bindText, out var bind))
        {
            throw new CliUsageException($"--bind must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{bindText}').");
        }

        var address = new IPEndPoint(bind, port);
        var token = DashboardServer.RequireToken(address, parse.GetValue(_token), _console, "--bind", "--token");
        var session = CliSession.Create(parse, _globals, null, null, _console, LogLevel.Warning);
        await using var host = await CliHost.CreateSharedAsync(session, cancellationToken).ConfigureAwait(false);
        _ = host.Options;
        var logger = host.Logging.CreateLogger("Mrq.Cli");
        await host.OpenHeldFileAsync(session.Storage, cancellationToken).ConfigureAwait(false);
        await using var dashboard = await DashboardServer.StartAsync(host, session.LogLevel, address, token, parse.GetValue(_readOnly), _console, cancellationToken).ConfigureAwait(false);
        if (dashboard is null)
        {
            return ExitCodes.Failure;
        }

        if (host.Holder is { } holder)
        {
            await _console.Error.WriteLineAsync($"mrq: {holder.File} is held by process {holder.Pid}: the dashboard goes through its control endpoint.").ConfigureAwait(false);
        }

        // Signals are ours before the URL is printed: a Ctrl+C right after it is a clean stop, not the default exit 130.
        using var signals = new ShutdownSignals(logger, _console.IsSubprocess);
        await _console.Out.WriteLineAsync($"Mrq dashboard: {dashboard.Url} (Ctrl+C to stop)").ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping, signals.Aborting);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: stop serving.
        }

        return ExitCodes.Ok;
    }
}
