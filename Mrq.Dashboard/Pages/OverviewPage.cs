using Mrq.Dashboard.Api;
using Mrq.Dashboard.Html;
using Mrq.Jobs;
using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard.Pages;

/// <summary>Overview: totals per status, workers alive, and every queue with its counts, raw size and oldest queued age.</summary>
internal static class OverviewPage
{
    public static async Task<IResult> RenderAsync(DashboardRequest request)
    {
        var overview = await ApiEndpoints.ReadOverviewAsync(request).ConfigureAwait(false);
        var html = new HtmlWriter();
        html.Write($"""<section class="cards"><div class="card"><span class="label">workers alive</span><a href="{request.Url("workers")}" class="value"{Layout.Live("workers", "alive")}>{overview.WorkersAlive}</a></div>""");
        html.Write($"""<div class="card"><span class="label">workers stale</span><span class="value"{Layout.Live("workers", "stale")}>{overview.WorkersStale}</span></div>""");
        foreach (var status in JobStatusNames.All)
        {
            var name = status.ToMrqName();
            html.Write($"""<div class="card status-{name}"><span class="label">{name}</span><a class="value" href="{request.Url("jobs?status=" + name)}"{Layout.Live("totals", name)}>{overview.StatusTotals.GetValueOrDefault(status)}</a></div>""");
        }

        html.Write($"""</section><h2>Throughput and failures</h2><figure id="throughput" class="chart"><p class="empty">Collecting: jobs ended per minute, counted from the live refresh since this dashboard started watching.</p></figure>""");
        html.Write($"""<h2>Queues</h2><table class="grid"><thead><tr><th>queue</th><th>paused</th>""");
        foreach (var status in JobStatusNames.All)
        {
            html.Write($"<th>{status.ToMrqName()}</th>");
        }

        html.Write($"<th>raw size</th><th>oldest queued</th></tr></thead><tbody>");
        foreach (var queue in overview.Queues)
        {
            var queueLink = queue.IsRaw ? request.Url("queues?peek=" + Uri.EscapeDataString(queue.Name)) : request.Url("jobs?queue=" + Uri.EscapeDataString(queue.Name));
            html.Write($"""<tr><td><a href="{queueLink}">{queue.Name}</a></td><td{Layout.Live("queues", queue.Name, "paused")}>{(queue.Paused ? "true" : "false")}</td>""");
            foreach (var status in JobStatusNames.All)
            {
                html.Write($"<td{Layout.Live("queues", queue.Name, "counts", status.ToMrqName())}>{queue.Counts.GetValueOrDefault(status)}</td>");
            }

            html.Write($"<td{Layout.Live("queues", queue.Name, "raw_size")}>{queue.RawSize}</td><td>{Format.Age(queue.OldestQueuedAge)}</td></tr>");
        }

        html.Write($"</tbody></table>");
        if (overview.Queues.Count == 0)
        {
            html.Write($"""<p class="empty">No jobs yet.</p>""");
        }

        return Layout.Page(request, "", "Overview", html, "api/overview");
    }
}
