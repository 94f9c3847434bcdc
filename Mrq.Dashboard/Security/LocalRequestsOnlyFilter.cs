using System.Net;
using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard.Security;

/// <summary>
/// Allows requests from this machine only: from a loopback address or from the connection's own local address.
/// A request with no remote address is refused. The dashboard's default filter.
/// </summary>
public sealed class LocalRequestsOnlyFilter : IMrqDashboardAuthorizationFilter
{
    /// <inheritdoc/>
    public bool Authorize(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        return IPAddress.IsLoopback(remote) || remote.Equals(context.Connection.LocalIpAddress);
    }
}
