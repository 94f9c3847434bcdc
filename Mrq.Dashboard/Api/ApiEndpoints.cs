using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Mrq.Jobs;

namespace Mrq.Dashboard.Api;

/// <summary>The JSON API the pages poll (documented in the README's Dashboard section).</summary>
internal static class ApiEndpoints
{
    public static async Task<IResult> OverviewAsync(DashboardRequest request)
    {
        var overview = await ReadOverviewAsync(request).ConfigureAwait(false);
        return Json(JsonViews.Overview(overview, request.Throughput));
    }

    /// <summary>The overview, also sampled into the dashboard's throughput series.</summary>
    public static async Task<Monitoring.MonitorOverview> ReadOverviewAsync(DashboardRequest request)
    {
        var overview = await request.Monitor.GetOverviewAsync(request.Http.RequestAborted).ConfigureAwait(false);
        request.Throughput.Record(overview);
        return overview;
    }

    public static async Task<IResult> JobsAsync(DashboardRequest request)
    {
        if (!JobSearchQuery.TryParse(request.Http.Request.Query, request.Options.PageSize, out var query, out var error))
        {
            return Error(400, error!);
        }

        var page = await request.Monitor.SearchJobsAsync(query.ToSearch(), (query.Page - 1) * query.Size, query.Size, request.Http.RequestAborted).ConfigureAwait(false);
        return Json(JsonViews.Page(page, query));
    }

    public static async Task<IResult> JobAsync(DashboardRequest request, string id)
    {
        if (!JobId.TryParse(id, out var jobId))
        {
            return Error(400, $"'{id}' is not a job id (24 hexadecimal characters).");
        }

        var details = await request.Monitor.GetJobAsync(jobId, request.Http.RequestAborted).ConfigureAwait(false);
        return details is null ? Error(404, $"No job {jobId}.") : Json(JsonViews.JobDetails(details));
    }

    public static async Task<IResult> WorkersAsync(DashboardRequest request) =>
        Json(JsonViews.Workers(await request.Monitor.GetWorkersAsync(request.Http.RequestAborted).ConfigureAwait(false)));

    public static async Task<IResult> TasksAsync(DashboardRequest request) =>
        Json(JsonViews.Tasks(await request.Monitor.GetTaskStatsAsync(request.Http.RequestAborted).ConfigureAwait(false)));

    public static async Task<IResult> PeekAsync(DashboardRequest request)
    {
        var queue = request.Http.Request.Query["queue"].ToString();
        var limitText = request.Http.Request.Query["limit"].ToString();
        var limit = 20;
        if (limitText.Length > 0 && (!int.TryParse(limitText, out limit) || limit is < 1 or > 1000))
        {
            return Error(400, $"Bad 'limit' '{limitText}'; expected a whole number from 1 to 1000.");
        }

        try
        {
            var items = await request.Monitor.PeekRawQueueAsync(queue, limit, request.Http.RequestAborted).ConfigureAwait(false);
            return Json(JsonViews.RawItems(queue, items));
        }
        catch (ArgumentException e)
        {
            return Error(400, e.Message.Split('\n')[0]);
        }
    }

    public static IResult Json(JsonNode document) => Results.Text(document.ToJsonString(), "application/json; charset=utf-8");

    public static IResult Error(int statusCode, string message) =>
        Results.Text(new JsonObject { ["error"] = message }.ToJsonString(), "application/json; charset=utf-8", statusCode: statusCode);
}
