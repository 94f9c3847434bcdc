using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Client;
using Mrq.Dashboard;
using Mrq.Dashboard.Api;
using Mrq.Dashboard.Pages;
using Mrq.Dashboard.Security;
using Mrq.Jobs;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Mrq dashboard.</summary>
public static class MrqDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the dashboard (pages, the JSON API under <c>api/</c>, actions under <c>actions/</c>) at
    /// <paramref name="prefix"/> on an app that called <c>AddMrq</c>. Only local requests are allowed unless
    /// <see cref="MrqDashboardOptions.Authorization"/> says otherwise.
    /// </summary>
    /// <returns>The endpoints' convention builder: chain <c>.RequireAuthorization(...)</c> to add the app's policy.</returns>
    /// <exception cref="InvalidOperationException">Mrq is not registered in the app's services.</exception>
    /// <exception cref="ArgumentException">The prefix does not start with <c>/</c>.</exception>
    public static IEndpointConventionBuilder MapMrqDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/mrq", Action<MrqDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.StartsWith('/'))
        {
            throw new ArgumentException($"The dashboard prefix '{prefix}' must start with '/'.", nameof(prefix));
        }

        prefix = prefix.TrimEnd('/');
        var options = new MrqDashboardOptions();
        configure?.Invoke(options);
        var provider = endpoints.ServiceProvider;
        var services = new DashboardServices(
            provider.GetMrqMonitor(),
            provider.GetRequiredService<IJobClient>(),
            options,
            new CsrfTokens(prefix.Length == 0 ? "/" : prefix),
            prefix,
            provider.GetService<TimeProvider>() ?? TimeProvider.System);

        var group = endpoints.MapGroup(prefix);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            SecurityHeaders(http.Response);
            if (options.AccessToken is { Length: > 0 } token && !AccessToken.IsPresented(http.Request, token))
            {
                http.Response.Headers.WWWAuthenticate = AccessToken.Challenge;
                return Results.Text("The Mrq dashboard needs its access token (as the basic-auth password or a bearer token).", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            foreach (var filter in options.Authorization)
            {
                if (!filter.Authorize(http))
                {
                    return Results.Text("The Mrq dashboard refused this request (by default it accepts local requests only).", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
                }
            }

            return await next(context).ConfigureAwait(false);
        });

        // Cast to Delegate so the minimal-API handler writes the returned IResult (a bare HttpContext lambda would be a RequestDelegate).
        void Get(string pattern, Func<DashboardRequest, Task<IResult>> page) =>
            group.MapGet(pattern, (Delegate)(Func<HttpContext, Task<IResult>>)(http => page(new DashboardRequest(http, services))));
        void Post(string pattern, Func<DashboardRequest, Task<IResult>> action) =>
            group.MapPost(pattern, (Delegate)(Func<HttpContext, Task<IResult>>)(http => action(new DashboardRequest(http, services)))).DisableAntiforgery();

        Get("/", OverviewPage.RenderAsync);
        Get("/jobs", JobsPage.RenderAsync);
        Get("/jobs/confirm", ConfirmPage.RenderAsync);
        Get("/jobs/{id}", r => JobPage.RenderAsync(r, r.RouteValue("id")));
        Get("/workers", WorkersPage.RenderAsync);
        Get("/queues", QueuesPage.RenderAsync);
        Get("/tasks", TasksPage.RenderAsync);
        group.MapGet("/assets/{name}", (string name) => Assets.Get(name));

        Get("/api/overview", ApiEndpoints.OverviewAsync);
        Get("/api/jobs", ApiEndpoints.JobsAsync);
        Get("/api/jobs/{id}", r => ApiEndpoints.JobAsync(r, r.RouteValue("id")));
        Get("/api/workers", ApiEndpoints.WorkersAsync);
        Get("/api/queues/peek", ApiEndpoints.PeekAsync);
        Get("/api/tasks", ApiEndpoints.TasksAsync);

        Post("/actions/jobs/{id}/cancel", r => ActionEndpoints.CancelOneAsync(r, r.RouteValue("id")));
        Post("/actions/jobs/{id}/requeue", r => ActionEndpoints.RequeueOneAsync(r, r.RouteValue("id")));
        Post("/actions/jobs/cancel", r => ActionEndpoints.BulkAsync(r, JobActionKind.Cancel));
        Post("/actions/jobs/requeue", r => ActionEndpoints.BulkAsync(r, JobActionKind.Requeue));
        Post("/actions/queues/pause", r => ActionEndpoints.PauseAsync(r, pause: true));
        Post("/actions/queues/resume", r => ActionEndpoints.PauseAsync(r, pause: false));
        return group;
    }

    // No inline script or style, no framing: a value that slipped past encoding still could not run.
    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "no-store";
    }
}
