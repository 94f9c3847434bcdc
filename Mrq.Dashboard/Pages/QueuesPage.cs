using Microsoft.AspNetCore.Http;
using Mrq.Dashboard.Html;
using Mrq.Jobs;

namespace Mrq.Dashboard.Pages;

/// <summary>Queues: sizes, jobs by status, pause / resume, and a peek at a raw queue's next members.</summary>
internal static class QueuesPage
{
    private const int PeekSize = 20;

    public static async Task<IResult> RenderAsync(DashboardRequest request)
    {
        var cancellationToken = request.Http.RequestAborted;
        var overview = await request.Monitor.GetOverviewAsync(cancellationToken).ConfigureAwait(false);
        var html = new HtmlWriter();
        html.Write($"""<table class="grid"><thead><tr><th>queue</th><th>type</th><th>size</th><th>jobs by status</th><th>paused</th><th></th></tr></thead><tbody>""");
        foreach (var queue in overview.Queues)
        {
            html.Write($"""<tr><td>{queue.Name}</td><td>{(queue.IsRaw ? "raw" : "regular")}</td><td{Layout.Live("queues", queue.Name, "total")}>{queue.Total}</td><td>""");
            foreach (var (status, count) in queue.Counts.Where(c => c.Value > 0).OrderBy(c => c.Key))
            {
                var link = request.Url("jobs" + JobSearchQuery.Encode([new("queue", queue.Name), new("status", status.ToMrqName())]));
                html.Write($"""<a class="pill status-{status.ToMrqName()}" href="{link}">{status.ToMrqName()} {count}</a> """);
            }

            if (queue.IsRaw)
            {
                html.Write($"""<a href="{request.Url("queues?peek=" + Uri.EscapeDataString(queue.Name))}">peek</a>""");
            }

            html.Write($"""</td><td{Layout.Live("queues", queue.Name, "paused")}>{(queue.Paused ? "true" : "false")}</td><td>""");
            if (!request.Options.ReadOnly)
            {
                Layout.ActionForm(html, request, queue.Paused ? "actions/queues/resume" : "actions/queues/pause", queue.Paused ? "Resume" : "Pause", [new("queue", queue.Name)]);
            }

            html.Write($"</td></tr>");
        }

        html.Write($"</tbody></table>");
        var peek = request.Http.Request.Query["peek"].ToString();
        if (peek.Length > 0)
        {
            await WritePeekAsync(html, request, peek).ConfigureAwait(false);
        }

        return Layout.Page(request, "queues", "Queues", html, "api/overview");
    }

    private static async Task WritePeekAsync(HtmlWriter html, DashboardRequest request, string queue)
    {
        html.Write($"""<h2>Next members of {queue}</h2>""");
        try
        {
            var items = await request.Monitor.PeekRawQueueAsync(queue, PeekSize, request.Http.RequestAborted).ConfigureAwait(false);
            html.Write($"""<table class="grid"><thead><tr><th>member</th><th>score</th></tr></thead><tbody>""");
            foreach (var item in items)
            {
                html.Write($"<tr><td><code>{item.Member}</code></td><td>{item.Score}</td></tr>");
            }

            html.Write($"</tbody></table>");
        }
        catch (ArgumentException e)
        {
            html.Write($"""<p class="error">{e.Message.Split('\n')[0]}</p>""");
        }
    }
}
