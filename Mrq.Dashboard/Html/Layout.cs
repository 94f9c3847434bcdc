using System.Globalization;
using Microsoft.AspNetCore.Http;
using Mrq.Dashboard.Security;

namespace Mrq.Dashboard.Html;

/// <summary>The page frame: header, navigation, notice, live-refresh settings and the embedded assets.</summary>
internal static class Layout
{
    private static readonly (string Path, string Label)[] s_nav =
        [("", "Overview"), ("jobs", "Jobs"), ("workers", "Workers"), ("queues", "Queues"), ("tasks", "Tasks")];

    /// <summary>Renders a page. <paramref name="liveApi"/> is the JSON API path its <c>data-live</c> cells poll.</summary>
    public static IResult Page(DashboardRequest request, string active, string title, HtmlWriter body, string? liveApi = null, int statusCode = 200)
    {
        var csrf = request.Csrf.GetOrIssue(request.Http);
        var poll = liveApi is null ? 0 : (int)request.Options.PollInterval.TotalMilliseconds;
        var page = new HtmlWriter();
        page.Write($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="mrq-csrf" content="{csrf}"><title>{title} · {request.Options.Title}</title>
            <link rel="stylesheet" href="{request.Url("assets/dashboard.css")}"></head>
            <body data-live-api="{(liveApi is null ? "" : request.Url(liveApi))}" data-poll-ms="{poll.ToString(CultureInfo.InvariantCulture)}">
            <header><a class="brand" href="{request.Url("")}">{request.Options.Title}</a><nav>
            """);
        foreach (var (path, label) in s_nav)
        {
            page.Write($"""<a href="{request.Url(path)}"{new Markup(path == active ? " class=\"active\"" : "")}>{label}</a>""");
        }

        page.Write($"""</nav>{new Markup(request.Options.ReadOnly ? "<span class=\"badge\">read-only</span>" : "")}<span id="live-state"></span></header><main>""");
        var notice = request.Http.Request.Query["notice"].ToString();
        if (notice.Length > 0)
        {
            page.Write($"""<p class="notice">{notice}</p>""");
        }

        page.Write($"<h1>{title}</h1>{new Markup(body.ToString())}</main><script src=\"{request.Url("assets/dashboard.js")}\"></script></body></html>");
        return new HtmlResult(page.ToString(), statusCode);
    }

    /// <summary>A one-line error page (bad input, missing job).</summary>
    public static IResult Error(DashboardRequest request, int statusCode, string message)
    {
        var body = new HtmlWriter().Write($"""<p class="error">{message}</p>""");
        return Page(request, "", statusCode == 404 ? "Not found" : "Error", body, statusCode: statusCode);
    }

    /// <summary>A POST form with the CSRF token and the page to return to.</summary>
    public static void ActionForm(HtmlWriter html, DashboardRequest request, string action, string label, IEnumerable<KeyValuePair<string, string>> fields, string cssClass = "")
    {
        var returnTo = request.Http.Request.PathBase + request.Http.Request.Path + request.Http.Request.QueryString;
        html.Write($"""<form method="post" class="action {cssClass}" action="{request.Url(action)}"><input type="hidden" name="{CsrfTokens.FormField}" value="{request.Csrf.GetOrIssue(request.Http)}"><input type="hidden" name="return" value="{returnTo}">""");
        foreach (var (name, value) in fields)
        {
            html.Write($"""<input type="hidden" name="{name}" value="{value}">""");
        }

        html.Write($"""<button type="submit">{label}</button></form>""");
    }

    /// <summary>A <c>data-live</c> attribute: the JSON path (as a JSON array) of the value the cell shows.</summary>
    public static Markup Live(params string[] path) =>
        new(" data-live=\"" + HtmlWriter.Encode(System.Text.Json.JsonSerializer.Serialize(path)) + "\"");
}

/// <summary>An HTML response with the dashboard's security headers.</summary>
internal sealed class HtmlResult(string html, int statusCode) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
    }
}
