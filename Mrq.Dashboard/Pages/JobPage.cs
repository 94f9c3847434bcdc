using Microsoft.AspNetCore.Http;
using Mrq.Dashboard.Html;
using Mrq.Jobs;

namespace Mrq.Dashboard.Pages;

/// <summary>One job: fields, params, result, traceback and its history, logs, progress, and its actions.</summary>
internal static class JobPage
{
    public static async Task<IResult> RenderAsync(DashboardRequest request, string id)
    {
        if (!JobId.TryParse(id, out var jobId))
        {
            return Layout.Error(request, 400, $"'{id}' is not a job id (24 hexadecimal characters).");
        }

        var details = await request.Monitor.GetJobAsync(jobId, request.Http.RequestAborted).ConfigureAwait(false);
        if (details is null)
        {
            return Layout.Error(request, 404, $"No job {jobId}.");
        }

        var job = details.Job;
        var status = job.Status.ToMrqName();
        var html = new HtmlWriter();
        html.Write($"""<dl class="fields"><dt>status</dt><dd class="status-{status}" id="job-status"{Layout.Live("job", "status")}>{status}</dd>""");
        html.Write($"""<dt>path</dt><dd><a href="{request.Url("jobs?path=" + Uri.EscapeDataString(job.Path))}">{job.Path}</a></dd>""");
        html.Write($"""<dt>queue</dt><dd><a href="{request.Url("jobs?queue=" + Uri.EscapeDataString(job.Queue))}">{job.Queue}</a></dd>""");
        html.Write($"""<dt>worker</dt><dd>""");
        if (job.Worker is not null)
        {
            html.Write($"""<a href="{request.Url("jobs?worker=" + Uri.EscapeDataString(job.Worker))}">{job.Worker}</a> (<a href="{request.Url("workers")}">workers</a>)""");
        }

        html.Write($"""</dd><dt>progress</dt><dd{Layout.Live("job", "progress")}>{job.Progress}</dd><dt>retry count</dt><dd>{job.RetryCount}</dd>""");
        foreach (var (label, date) in new[] { ("queued", job.DateQueued), ("started", job.DateStarted), ("updated", job.DateUpdated), ("retry at", job.DateRetry), ("expires", job.DateExpires) })
        {
            html.Write($"<dt>{label}</dt><dd>{Format.Date(date)}</dd>");
        }

        html.Write($"""<dt>total time</dt><dd>{Format.Seconds(job.TotalTime)}</dd><dt>raw queue</dt><dd>{job.RawQueue}</dd><dt>exception</dt><dd>{job.ExceptionType}</dd></dl>""");
        if (!request.Options.ReadOnly)
        {
            html.Write($"""<div class="actions">""");
            Layout.ActionForm(html, request, $"actions/jobs/{jobId}/cancel", "Cancel", []);
            Layout.ActionForm(html, request, $"actions/jobs/{jobId}/requeue", "Requeue", []);
            html.Write($"</div>");
        }

        html.Write($"""<h2>Params</h2><pre id="job-params">{job.Params.ToJsonString(JsonDisplay.Indented)}</pre>""");
        html.Write($"""<h2>Result</h2><pre id="job-result">{job.Result?.ToJsonString(JsonDisplay.Indented)}</pre>""");
        if (job.Traceback is not null)
        {
            html.Write($"""<h2>Traceback</h2><pre class="traceback" id="job-traceback">{job.Traceback}</pre>""");
        }

        if (job.TracebackHistory.Count > 0)
        {
            html.Write($"<h2>Traceback history</h2>");
            foreach (var entry in job.TracebackHistory)
            {
                html.Write($"""<details><summary>{Format.Date(entry.Date)} {entry.Status.ToMrqName()} {entry.ExceptionType} ({entry.Worker})</summary><pre class="traceback">{entry.Traceback}</pre>""");
                if (entry.OriginalTraceback is not null)
                {
                    html.Write($"""<pre class="traceback">{entry.OriginalTraceback}</pre>""");
                }

                html.Write($"</details>");
            }
        }

        html.Write($"""<h2>Logs</h2><pre id="job-logs">{details.Logs}</pre>""");
        return Layout.Page(request, "jobs", $"Job {jobId}", html, $"api/jobs/{jobId}");
    }
}

/// <summary>JSON display settings for params and results.</summary>
internal static class JsonDisplay
{
    // Relaxed escaping keeps "<" readable: the page HTML-encodes every value, so JSON escaping adds nothing there.
    public static readonly System.Text.Json.JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly System.Text.Json.JsonSerializerOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
