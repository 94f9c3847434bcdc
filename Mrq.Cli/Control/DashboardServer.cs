using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Mrq.Cli.Hosting;

namespace Mrq.Cli.Control;

/// <summary>
/// The dashboard as the CLI serves it (<c>mrq dashboard</c>, <c>mrq worker --dashboard</c>): at <c>/mrq/</c> on one
/// address, over the command's own Mrq services; 127.0.0.1 by default, and any other address only with an access token.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>The environment variable read when no token is given on the command line.</summary>
    public const string TokenVariable = "MRQ_DASHBOARD_TOKEN";

    /// <summary>The default port.</summary>
    public const int DefaultPort = 5555;

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app) => _app = app;

    /// <summary>The dashboard's URL (ending in <c>/mrq/</c>).</summary>
    public string Url => _app.Urls.First() + "/mrq/";

    /// <summary>
    /// Parses <c>--dashboard</c>'s address: empty (127.0.0.1:5555), a port (<c>8080</c>), an address
    /// (<c>0.0.0.0</c>) or both (<c>0.0.0.0:8080</c>, <c>[::1]:8080</c>).
    /// </summary>
    /// <exception cref="CliUsageException">Not an address or port.</exception>
    public static IPEndPoint ParseAddress(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new IPEndPoint(IPAddress.Loopback, DefaultPort);
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return new IPEndPoint(IPAddress.Loopback, CheckPort(port, option, text));
        }

        if (IPAddress.TryParse(text, out var address) && !text.Contains("]:", StringComparison.Ordinal) && text.Count(c => c == ':') != 1)
        {
            return new IPEndPoint(address, DefaultPort);
        }

        if (IPEndPoint.TryParse(text, out var endPoint))
        {
            return new IPEndPoint(endPoint.Address, CheckPort(endPoint.Port, option, text));
        }

        throw new CliUsageException($"{option} must be an address, a port or address:port such as 127.0.0.1:5555 (got '{text}'; queues go before {option}, or write {option}=<address>).");
    }

    /// <summary>The access token: the given one, else <see cref="TokenVariable"/>; required when the address is not loopback.</summary>
    /// <exception cref="CliUsageException">A non-loopback address without a token.</exception>
    public static string? RequireToken(IPEndPoint address, string? given, CliConsole console, string option, string tokenOption)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(console);
        var variable = console.Environment is null ? Environment.GetEnvironmentVariable(TokenVariable) : console.Environment.GetValueOrDefault(TokenVariable);
        var token = !string.IsNullOrEmpty(given) ? given : string.IsNullOrEmpty(variable) ? null : variable;
        if (!IPAddress.IsLoopback(address.Address) && token is null)
        {
            throw new CliUsageException($"{option} {address.Address} serves the dashboard to other machines: give an access token with {tokenOption} or ${TokenVariable}.");
        }

        return token;
    }

    /// <summary>Starts serving, or returns null after writing why on stderr when the address cannot be listened on.</summary>
    public static async Task<DashboardServer?> StartAsync(CliHost host, LogLevel logLevel, IPEndPoint address, string? token, bool readOnly, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(console);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(logLevel);

        // Like every mrq command: logs on stderr, so stdout carries only the URL.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseKestrel(k => k.Listen(address));

        // The dashboard reads through the command's own Mrq services (same storage, options and tasks, or the holder's).
        builder.Services.AddSingleton(host.Monitor);
        builder.Services.AddSingleton(host.Client);
        builder.Services.AddSingleton(host.Services.GetRequiredService<TimeProvider>());
        var app = builder.Build();
        app.MapGet("/", () => Results.Redirect("/mrq/"));
        var loopback = IPAddress.IsLoopback(address.Address);
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
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new DashboardServer(app);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await console.Error.WriteLineAsync($"mrq: cannot listen on {address}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static int CheckPort(int port, string option, string text) =>
        port is >= 0 and <= 65535 ? port : throw new CliUsageException($"{option}: the port must be from 0 to 65535 (got '{text}').");
}
