using Mrq.Dashboard.Html;
using Mrq.Jobs;
using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard.Pages;

/// <summary>Tasks: job counts and average / p95 run time per path and status.</summary>
internal static class TasksPage
{
    public static async Task<IResult> RenderAsync(DashboardRequest request)
    {
        var report = await request.Monitor.GetTaskStatsAsync(request.Http.RequestAborted).ConfigureAwait(false);
        var html = new HtmlWriter();
        if (report.Truncated)
        {
            html.Write($"""<p class="notice">Only the newest {request.Monitor.ScanLimit} jobs were read.</p>""");
        }

        html.Write($"""<table class="grid"><thead><tr><th>path</th><th>status</th><th>jobs</th><th>avg time</th><th>p95 time</th></tr></thead><tbody>""");
        foreach (var row in report.Tasks)
        {
            var status = row.Status.ToMrqName();
            var link = request.Url("jobs" + JobSearchQuery.Encode([new("path", row.Path), new("status", status)]));
            html.Write($"""<tr><td>{row.Path}</td><td class="status-{status}">{status}</td><td><a href="{link}">{row.Count}</a></td><td>{Format.Seconds(row.AverageSeconds)}</td><td>{Format.Seconds(row.P95Seconds)}</td></tr>""");
        }

        html.Write($"</tbody></table>");
        return Layout.Page(request, "tasks", "Tasks", html);
    }
}
