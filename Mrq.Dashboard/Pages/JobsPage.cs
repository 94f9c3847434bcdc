using Microsoft.AspNetCore.Http;
using Mrq.Dashboard.Html;
using Mrq.Jobs;
using Mrq.Monitoring;

namespace Mrq.Dashboard.Pages;

/// <summary>Jobs: the filter form, a sortable paged list with per-job actions, and actions on every matching job.</summary>
internal static class JobsPage
{
    private static readonly (JobSortKey Key, string Label)[] s_columns =
        [(JobSortKey.Id, "id"), (JobSortKey.Path, "path"), (JobSortKey.Queue, "queue"), (JobSortKey.Status, "status"), (JobSortKey.DateQueued, "queued"), (JobSortKey.DateUpdated, "updated"), (JobSortKey.TotalTime, "time")];

    public static async Task<IResult> RenderAsync(DashboardRequest request)
    {
        if (!JobSearchQuery.TryParse(request.Http.Request.Query, request.Options.PageSize, out var query, out var error))
        {
            return Layout.Error(request, 400, error!);
        }

        var page = await request.Monitor.SearchJobsAsync(query.ToSearch(), (query.Page - 1) * query.Size, query.Size, request.Http.RequestAborted).ConfigureAwait(false);
        var html = new HtmlWriter();
        WriteFilterForm(html, request, query);
        html.Write($"""<p class="summary"><span id="match-count">{page.Total}</span> matching jobs{(page.Truncated ? $" among the newest {request.Monitor.ScanLimit} (narrow by queue, status, worker or exception to search them all)" : "")}.""");
        if (!request.Options.ReadOnly && page.Total > 0)
        {
            var filter = JobSearchQuery.Encode(query.FilterPairs());
            var separator = filter.Length == 0 ? "?" : "&";
            html.Write($""" <a class="button" href="{request.Url("jobs/confirm" + filter + separator + "action=cancel")}">Cancel all matching…</a> <a class="button" href="{request.Url("jobs/confirm" + filter + separator + "action=requeue")}">Requeue all matching…</a>""");
        }

        html.Write($"""</p><table class="grid" id="jobs"><thead><tr>""");
        foreach (var (key, label) in s_columns)
        {
            var descending = query.Sort == key ? !query.Descending : key == JobSortKey.Id;
            var arrow = query.Sort == key ? (query.Descending ? " ▼" : " ▲") : "";
            html.Write($"""<th><a href="{request.Url("jobs" + query.ToQueryString(key, descending, 1))}">{label}{arrow}</a></th>""");
        }

        html.Write($"<th>worker</th><th>exception</th><th>params</th><th></th></tr></thead><tbody>");
        foreach (var job in page.Jobs)
        {
            WriteRow(html, request, job);
        }

        html.Write($"</tbody></table>");
        WritePager(html, request, query, page.Total);
        return Layout.Page(request, "jobs", "Jobs", html);
    }

    private static void WriteFilterForm(HtmlWriter html, DashboardRequest request, JobSearchQuery query)
    {
        html.Write($"""<form method="get" class="filters" action="{request.Url("jobs")}">""");
        Field(html, "queue", "queue (end with / for subqueues)", query.Queue);
        Field(html, "path", "path prefix or pattern*", query.Path);
        Field(html, "status", "status[,status]", string.Join(',', query.Statuses.Select(s => s.ToMrqName())));
        Field(html, "worker", "worker id", query.Worker);
        Field(html, "exception", "exception type", query.Exception);
        Field(html, "from", "queued from (UTC)", query.From is { } from ? Format.Date(from) : null);
        Field(html, "to", "queued before (UTC)", query.To is { } to ? Format.Date(to) : null);
        Field(html, "q", "text in params or result", query.Text);
        html.Write($"""<input type="hidden" name="sort" value="{query.Sort.ToString().ToLowerInvariant()}"><input type="hidden" name="dir" value="{(query.Descending ? "desc" : "asc")}"><button type="submit">Filter</button> <a href="{request.Url("jobs")}">clear</a></form>""");
    }

    private static void Field(HtmlWriter html, string name, string placeholder, string? value) =>
        html.Write($"""<label>{name}<input name="{name}" placeholder="{placeholder}" value="{value}"></label>""");

    private static void WriteRow(HtmlWriter html, DashboardRequest request, JobRecord job)
    {
        var status = job.Status.ToMrqName();
        var id = job.Id.ToString();
        var parameters = job.Params.ToJsonString(JsonDisplay.Compact);
        html.Write($"""<tr data-job="{id}"><td><a href="{request.Url("jobs/" + id)}">{id}</a></td><td>{job.Path}</td><td>{job.Queue}</td><td class="status-{status}">{status}</td><td>{Format.Date(job.DateQueued)}</td><td>{Format.Date(job.DateUpdated)}</td><td>{Format.Seconds(job.TotalTime)}</td>""");
        html.Write($"<td>");
        if (job.Worker is not null)
        {
            html.Write($"""<a href="{request.Url("jobs?worker=" + Uri.EscapeDataString(job.Worker))}">{job.Worker}</a>""");
        }

        html.Write($"""</td><td>{job.ExceptionType}</td><td class="params">{(parameters.Length > 120 ? parameters[..120] + "…" : parameters)}</td><td>""");
        if (!request.Options.ReadOnly)
        {
            Layout.ActionForm(html, request, $"actions/jobs/{id}/cancel", "Cancel", [], "inline");
            Layout.ActionForm(html, request, $"actions/jobs/{id}/requeue", "Requeue", [], "inline");
        }

        html.Write($"</td></tr>");
    }

    private static void WritePager(HtmlWriter html, DashboardRequest request, JobSearchQuery query, long total)
    {
        var pages = Math.Max(1, (int)Math.Min(int.MaxValue, (total + query.Size - 1) / query.Size));
        html.Write($"""<nav class="pager">page {query.Page} of {pages} """);
        if (query.Page > 1)
        {
            html.Write($"""<a href="{request.Url("jobs" + query.ToQueryString(page: query.Page - 1))}">previous</a> """);
        }

        if (query.Page < pages)
        {
            html.Write($"""<a href="{request.Url("jobs" + query.ToQueryString(page: query.Page + 1))}" id="next-page">next</a>""");
        }

        html.Write($"</nav>");
    }
}
