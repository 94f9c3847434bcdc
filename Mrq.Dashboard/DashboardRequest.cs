using Microsoft.AspNetCore.Http;
using Mrq.Client;
using Mrq.Dashboard.Api;
using Mrq.Dashboard.Security;
using Mrq.Monitoring;

namespace Mrq.Dashboard;

/// <summary>What a dashboard endpoint needs for one request: the services, the options and its URLs.</summary>
internal sealed class DashboardRequest(HttpContext http, DashboardServices services)
{
    public HttpContext Http { get; } = http;

    public IMrqMonitor Monitor => services.Monitor;

    public IJobClient Client => services.Client;

    public MrqDashboardOptions Options => services.Options;

    public CsrfTokens Csrf => services.Csrf;

    /// <summary>The throughput series this dashboard samples from the overviews it reads.</summary>
    public ThroughputSeries Throughput => services.Throughput;

    /// <summary>The dashboard's absolute base path (the app's PathBase and the mapped prefix), without a trailing slash.</summary>
    public string Base => Http.Request.PathBase + services.Prefix;

    /// <summary>A dashboard URL: <paramref name="relative"/> under <see cref="Base"/>.</summary>
    public string Url(string relative) => relative.Length == 0 ? Base + "/" : Base + "/" + relative;

    /// <summary>A route value of the matched endpoint (empty when absent).</summary>
    public string RouteValue(string name) => Http.Request.RouteValues[name]?.ToString() ?? "";

    /// <summary>Today's time as the monitor sees it.</summary>
    public DateTime UtcNow => services.Time.GetUtcNow().UtcDateTime;
}

/// <summary>The services every dashboard request shares, resolved once when the dashboard is mapped.</summary>
internal sealed record DashboardServices(
    IMrqMonitor Monitor, IJobClient Client, MrqDashboardOptions Options, CsrfTokens Csrf, string Prefix, TimeProvider Time)
{
    public ThroughputSeries Throughput { get; } = new();
}
