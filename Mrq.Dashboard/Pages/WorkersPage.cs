using Mrq.Dashboard.Html;
using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard.Pages;

/// <summary>Workers: MRQ's report fields, running jobs with how long each has run, stale reports flagged.</summary>
internal static class WorkersPage
{
    public static async Task<IResult> RenderAsync(DashboardRequest request)
    {
        var workers = await request.Monitor.GetWorkersAsync(request.Http.RequestAborted).ConfigureAwait(false);
        var now = request.UtcNow;
        var html = new HtmlWriter();
        html.Write($"""<p>Stale after {Format.Age(request.Monitor.StaleAfter)} without a report.</p><table class="grid"><thead><tr><th>name</th><th>status</th><th>queues</th><th>greenlets</th><th>done jobs</th><th>current jobs</th><th>started</th><th>last report</th><th>pid</th><th>jobs</th></tr></thead><tbody>""");
        foreach (var worker in workers)
        {
            var report = worker.Report;
            html.Write($"""<tr class="{(worker.IsStale ? "stale" : "")}"><td>{report.Name}</td><td{Layout.Live("workers", report.Id, "status")}>{report.Status}</td><td>{string.Join(" ", report.Config.Queues)}</td><td>{report.Config.Greenlets}</td><td{Layout.Live("workers", report.Id, "done_jobs")}>{report.DoneJobs}</td><td><ul class="running">""");
            foreach (var job in report.Jobs)
            {
                html.Write($"""<li><a href="{request.Url("jobs/" + Uri.EscapeDataString(job.Id))}">{job.Path}</a> {Format.Age(now - job.DateStarted)}</li>""");
            }

            html.Write($"""</ul></td><td>{Format.Date(report.DateStarted)}</td><td>{Format.Age(worker.LastReportAge)}{new Markup(worker.IsStale ? " <span class=\"badge warn\">stale</span>" : "")}</td><td>{report.Process.Pid}</td><td><a href="{request.Url("jobs?worker=" + Uri.EscapeDataString(report.Id))}">jobs</a></td></tr>""");
        }

        html.Write($"</tbody></table>");
        if (workers.Count == 0)
        {
            html.Write($"""<p class="empty">No worker has reported.</p>""");
        }

        return Layout.Page(request, "workers", "Workers", html, "api/workers");
    }
}
