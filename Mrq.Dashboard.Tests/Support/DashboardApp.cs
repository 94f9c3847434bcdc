using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.Storage;

namespace Mrq.Dashboard.Tests.Support;

/// <summary>An ASP.NET Core app with Mrq and the dashboard at <c>/mrq</c>: in-process (TestServer) or on a loopback port (Kestrel) for the browser.</summary>
internal sealed class DashboardApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _scratch;

    private DashboardApp(WebApplication app, string scratch)
    {
        _app = app;
        _scratch = scratch;
    }

    public IServiceProvider Services => _app.Services;

    public IJobClient Client => _app.Services.GetRequiredService<IJobClient>();

    public MrqStorage Storage => _app.Services.GetRequiredService<MrqStorage>();

    /// <summary>The Kestrel address (<c>http://127.0.0.1:port</c>) when started with <c>kestrel: true</c>.</summary>
    public string BaseAddress => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<DashboardApp> StartAsync(TestStorage storage, Action<MrqDashboardOptions>? dashboard = null, bool kestrel = false)
    {
        var scratch = Directory.CreateTempSubdirectory("mrq-dashboard-test").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Services.AddMrq(mrq => TestStorageSetup.Use(mrq, storage, scratch));
        var app = builder.Build();
        if (!kestrel)
        {
            // TestServer requests have no remote address; a test that checks refusal sets one itself.
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return next(context);
            });
        }

        app.MapMrqDashboard("/mrq", dashboard);
        await app.StartAsync();
        await app.Services.GetRequiredService<MrqStorage>().InitializeAsync();
        return new DashboardApp(app, scratch);
    }

    public HttpClient CreateClient()
    {
        var client = _app.GetTestClient();
        return client;
    }

    public TestServer TestServer => (TestServer)_app.Services.GetRequiredService<IServer>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing handle; the temp directory is cleaned by the OS.
        }
    }
}
