using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Mrq.Dashboard.Security;
using Mrq.Jobs;

namespace Mrq.Dashboard.Api;

/// <summary>
/// The actions (POST only, CSRF-checked, refused when read-only), each one <c>IJobClient</c> call. A form post is
/// answered with a redirect back to its page and a notice; a request that accepts JSON gets <c>{"changed": n}</c>.
/// </summary>
internal static class ActionEndpoints
{
    public static Task<IResult> CancelOneAsync(DashboardRequest request, string id) =>
        RunAsync(request, async form =>
        {
            if (!JobId.TryParse(id, out var jobId))
            {
                return Refuse(400, $"'{id}' is not a job id (24 hexadecimal characters).");
            }

            var done = await request.Client.CancelAsync(jobId, request.Http.RequestAborted).ConfigureAwait(false);
            return Done(request, form, done ? 1 : 0, done ? $"Cancelled job {jobId}." : $"Job {jobId} could not be cancelled (missing, or not in a status that can be cancelled).");
        });

    public static Task<IResult> RequeueOneAsync(DashboardRequest request, string id) =>
        RunAsync(request, async form =>
        {
            if (!JobId.TryParse(id, out var jobId))
            {
                return Refuse(400, $"'{id}' is not a job id (24 hexadecimal characters).");
            }

            var queue = Optional(form, "queue");
            var done = await request.Client.RequeueAsync(jobId, queue, request.Http.RequestAborted).ConfigureAwait(false);
            return Done(request, form, done ? 1 : 0, done ? $"Requeued job {jobId}." : $"Job {jobId} could not be requeued.");
        });

    public static Task<IResult> BulkAsync(DashboardRequest request, JobActionKind kind) =>
        RunAsync(request, async form =>
        {
            var fields = new QueryCollection(form.ToDictionary(f => f.Key, f => f.Value));
            if (!JobSearchQuery.TryParse(fields, request.Options.PageSize, out var query, out var error))
            {
                return Refuse(400, error!);
            }

            var (count, refusal) = await BulkAction.ApplyAsync(request, kind, query, Optional(form, "destination")).ConfigureAwait(false);
            if (count is null)
            {
                return Refuse(400, refusal!);
            }

            var verb = kind == JobActionKind.Cancel ? "Cancelled" : "Requeued";
            return Done(request, form, count.Value, $"{verb} {count.Value} jobs.");
        });

    public static Task<IResult> PauseAsync(DashboardRequest request, bool pause) =>
        RunAsync(request, async form =>
        {
            var queue = Optional(form, "queue");
            if (queue is null)
            {
                return Refuse(400, "Missing 'queue'.");
            }

            if (pause)
            {
                await request.Client.PauseQueueAsync(queue, request.Http.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                await request.Client.ResumeQueueAsync(queue, request.Http.RequestAborted).ConfigureAwait(false);
            }

            return Done(request, form, 1, pause ? $"Paused {queue}." : $"Resumed {queue}.");
        });

    private static async Task<IResult> RunAsync(DashboardRequest request, Func<IFormCollection, Task<IResult>> action)
    {
        if (request.Options.ReadOnly)
        {
            return Refuse(403, "The Mrq dashboard is read-only: actions are disabled.");
        }

        if (!await CsrfTokens.IsValidAsync(request.Http).ConfigureAwait(false))
        {
            return Refuse(403, "Missing or wrong CSRF token: reload the dashboard page and try again.");
        }

        var form = request.Http.Request.HasFormContentType
            ? await request.Http.Request.ReadFormAsync(request.Http.RequestAborted).ConfigureAwait(false)
            : FormCollection.Empty;
        try
        {
            return await action(form).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // Bad user input rejected by the client (an invalid queue name): one line, nothing changed.
            return Refuse(400, e.Message.Split('\n')[0]);
        }
    }

    private static IResult Done(DashboardRequest request, IFormCollection form, long changed, string notice)
    {
        if (WantsJson(request.Http.Request))
        {
            return ApiEndpoints.Json(new JsonObject { ["changed"] = changed, ["notice"] = notice });
        }

        var back = Optional(form, "return");
        if (back is null || !back.StartsWith(request.Base + "/", StringComparison.Ordinal) || back.StartsWith("//", StringComparison.Ordinal))
        {
            back = request.Url("");
        }

        var withoutNotice = RemoveNotice(back);
        var separator = withoutNotice.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return Results.Redirect(withoutNotice + separator + "notice=" + Uri.EscapeDataString(notice), permanent: false, preserveMethod: false);
    }

    private static string RemoveNotice(string url)
    {
        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            return url;
        }

        var kept = url[(queryStart + 1)..].Split('&').Where(p => !p.StartsWith("notice=", StringComparison.Ordinal)).ToArray();
        return kept.Length == 0 ? url[..queryStart] : url[..queryStart] + "?" + string.Join('&', kept);
    }

    private static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

    private static IResult Refuse(int statusCode, string message) => ApiEndpoints.Error(statusCode, message);

    private static string? Optional(IFormCollection form, string name)
    {
        var value = form[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }
}
