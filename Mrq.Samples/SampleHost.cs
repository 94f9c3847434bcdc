using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mrq.Configuration;
using Mrq.DependencyInjection;

namespace Mrq.Samples;

/// <summary>
/// Hosting Mrq in an application: a generic host whose worker starts and stops with it, on one embedded LiteDB
/// file. Options come from the host's configuration section <c>Mrq</c> (MRQ's names: <c>--Mrq:greenlets=20</c> on
/// the command line, <c>Mrq__greenlets=20</c> in the environment, or an <c>appsettings.json</c>), over the
/// defaults set here. The host also serves the Mrq dashboard at <c>/mrq/</c> on 127.0.0.1 (a free port unless
/// <c>--urls</c> names one).
/// </summary>
public static class SampleHost
{
    /// <summary>Builds the host (not started). Resolve <c>IJobClient</c> from its services to queue jobs.</summary>
    /// <param name="databasePath">The LiteDB file.</param>
    /// <param name="args">Command-line arguments for the host's configuration.</param>
    public static IHost Build(string databasePath, string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(args ?? []);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:0");
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddMrq(mrq =>
        {
            mrq.UseLiteDb(databasePath)
                .AddTasksFrom(typeof(SampleHost).Assembly)
                .Configure(options =>
                {
                    // Defaults for the demo; the "Mrq" configuration section (bound next) overrides them.
                    options.Greenlets = 20;
                    options.MaxLatency = 0.1;
                })
                .BindConfiguration(builder.Configuration.GetSection("Mrq"))
                .AddWorker();
            SampleQueues.ConfigureMrq(mrq);

            // Lists bind by appending, so the default queues are set only when the configuration names none.
            mrq.Services.PostConfigure<MrqOptions>(options =>
            {
                if (options.Queues.Count == 0)
                {
                    options.Queues = ["default", SampleQueues.Raw];
                }
            });
        });
        var app = builder.Build();
        app.MapMrqDashboard("/mrq");
        return app;
    }

    /// <summary>The dashboard's address once the host has started, e.g. <c>http://127.0.0.1:41234/mrq/</c>.</summary>
    public static string DashboardUrl(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The sample host is not listening yet: start it first.");
        return address.TrimEnd('/') + "/mrq/";
    }
}
