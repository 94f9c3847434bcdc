using Microsoft.AspNetCore.Http;
using Mrq.Dashboard.Api;
using Mrq.Dashboard.Html;
using Mrq.Jobs;

namespace Mrq.Dashboard.Pages;

/// <summary>Confirmation of an action on every job matching a filter: shows how many jobs it will change.</summary>
internal static class ConfirmPage
{
    public static async Task<IResult> RenderAsync(DashboardRequest request)
    {
        if (request.Options.ReadOnly)
        {
            return Layout.Error(request, 403, "The Mrq dashboard is read-only.");
        }

        if (!BulkAction.TryParseKind(request.Http.Request.Query["action"], out var kind, out var error))
        {
            return Layout.Error(request, 400, error!);
        }

        if (!JobSearchQuery.TryParse(request.Http.Request.Query, request.Options.PageSize, out var query, out error))
        {
            return Layout.Error(request, 400, error!);
        }

        var count = await BulkAction.CountAsync(request, kind, query).ConfigureAwait(false);
        var verb = kind == JobActionKind.Cancel ? "cancel" : "requeue";
        var html = new HtmlWriter();
        var filter = query.FilterPairs().ToList();
        html.Write($"""<p class="confirm">This will {verb} <strong id="confirm-count">{count}</strong> jobs matching: <code>{(filter.Count == 0 ? "every job" : string.Join(" ", filter.Select(p => p.Key + "=" + p.Value)))}</code>{(kind == JobActionKind.Requeue ? " (jobs already queued are skipped)" : "")}.</p>""");
        html.Write($"""<form method="post" action="{request.Url("actions/jobs/" + verb)}"><input type="hidden" name="{Security.CsrfTokens.FormField}" value="{request.Csrf.GetOrIssue(request.Http)}"><input type="hidden" name="return" value="{request.Url("jobs" + JobSearchQuery.Encode(filter))}">""");
        foreach (var (name, value) in filter)
        {
            html.Write($"""<input type="hidden" name="{name}" value="{value}">""");
        }

        if (kind == JobActionKind.Requeue)
        {
            html.Write($"""<label>to queue (empty: each job's own queue)<input name="destination" id="destination"></label> """);
        }

        html.Write($"""<button type="submit" id="confirm">{verb} {count} jobs</button> <a href="{request.Url("jobs" + JobSearchQuery.Encode(filter))}">back</a></form>""");
        return Layout.Page(request, "jobs", $"Confirm: {verb} matching jobs", html);
    }
}
