using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard.Security;

/// <summary>Decides whether a request may use the dashboard (like Hangfire's <c>IDashboardAuthorizationFilter</c>).</summary>
public interface IMrqDashboardAuthorizationFilter
{
    /// <summary>True to let the request through.</summary>
    bool Authorize(HttpContext context);
}
