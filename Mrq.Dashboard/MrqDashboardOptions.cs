using Mrq.Dashboard.Security;

namespace Mrq.Dashboard;

/// <summary>Options of <c>MapMrqDashboard</c>.</summary>
public sealed class MrqDashboardOptions
{
    /// <summary>
    /// Every filter must allow a request, else it gets 403. Default: <see cref="LocalRequestsOnlyFilter"/>. Clear the
    /// list to rely only on the app's own policy (e.g. <c>MapMrqDashboard("/mrq").RequireAuthorization("ops")</c>).
    /// </summary>
    public IList<IMrqDashboardAuthorizationFilter> Authorization { get; } = [new LocalRequestsOnlyFilter()];

    /// <summary>
    /// When set, every request must present this secret, as <c>Authorization: Bearer &lt;token&gt;</c> or as the
    /// password of HTTP basic auth (any user name; browsers prompt for it), else it gets 401. <c>mrq dashboard</c>
    /// requires one to listen on a non-loopback address. It adds to <see cref="Authorization"/>, it does not replace it.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>Hides every action (cancel, requeue, pause, resume) and refuses their POSTs with 403.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The title shown in the page header.</summary>
    public string Title { get; set; } = "Mrq";

    /// <summary>How often open pages poll the JSON API for live figures. Zero turns live refresh off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Rows per page of job lists unless the request asks for another size (at most 200).</summary>
    public int PageSize { get; set; } = 20;
}
