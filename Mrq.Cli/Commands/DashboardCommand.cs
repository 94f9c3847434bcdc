using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Mrq.Cli.Hosting;
using Mrq.Cli.Signals;
using Mrq.Client;
using Mrq.Dashboard;
using Mrq.Monitoring;

namespace Mrq.Cli.Commands;

/// <summary>
/// <c>mrq dashboard</c>: serves the web dashboard over the configured storage until Ctrl+C. Binds 127.0.0.1 by
/// default (local requests only); another address needs an access token (<c>--token</c> or <c>MRQ_DASHBOARD_TOKEN</c>),
/// which browsers send as the basic-auth password.
/// </summary>
internal sealed class DashboardCommand
{
    /// <summary>The environment variable read when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "MRQ_DASHBOARD_TOKEN";

    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;
    private readonly Option<int> _port = new("--port") { Description = "The TCP port (default 5555; 0 picks a free one).", HelpName = "port", DefaultValueFactory = _ => 5555 };
    private readonly Option<string> _bind = new("--bind") { Description = "The address to listen on (default 127.0.0.1). A non-loopback address requires --token.", HelpName = "address", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<string> _token = new("--token") { Description = $"An access token every request must present (basic-auth password or bearer token); default: ${TokenVariable}.", HelpName = "secret" };
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

        var token = parse.GetValue(_token) is { Length: > 0 } given ? given : ReadTokenVariable();
        var loopback = IPAddress.IsLoopback(bind);
        if (!loopback && token is null)
        {
            throw new CliUsageException($"--bind {bindText} serves the dashboard to other machines: give an access token with --token or ${TokenVariable}.");
        }

        var session = CliSession.Create(parse, _globals, null, null, _console, LogLevel.Warning);
        await using var host = CliHost.Create(session);
        _ = host.Options;
        await using var app = Build(host, session, bind, port, token, loopback, parse.GetValue(_readOnly));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await _console.Error.WriteLineAsync($"mrq: cannot listen on {bindText}:{port}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var address = app.Urls.First();
        await _console.Out.WriteLineAsync($"Mrq dashboard: {address}/mrq/ (Ctrl+C to stop)").ConfigureAwait(false);
        using var signals = new ShutdownSignals(host.Logging.CreateLogger("Mrq.Cli"), _console.IsSubprocess);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping, signals.Aborting);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: stop serving.
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static WebApplication Build(CliHost host, CliSession session, IPAddress bind, int port, string? token, bool loopback, bool readOnly)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(session.LogLevel);

        // Like every mrq command: logs on stderr, so stdout carries only the URL.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseKestrel(k => k.Listen(bind, port));

        // The dashboard reads through the CLI's own Mrq services (same storage, options and tasks).
        builder.Services.AddSingleton(host.Services.GetMrqMonitor());
        builder.Services.AddSingleton(host.Client);
        builder.Services.AddSingleton(host.Services.GetRequiredService<TimeProvider>());
        var app = builder.Build();
        app.MapGet("/", () => Results.Redirect("/mrq/"));
        app.MapMrqDashboard("/mrq", options =>
        {
            options.ReadOnly = readOnly;
            options.AccessToken = token;
            if (!loopback)
            {
                // Other machines are the point of a non-loopback bind; the access token guards it instead.
                options.Authorization.Clear();
            }
        });
        return app;
    }

    private string? ReadTokenVariable()
    {
        var value = _console.Environment is null ? Environment.GetEnvironmentVariable(TokenVariable) : _console.Environment.GetValueOrDefault(TokenVariable);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
