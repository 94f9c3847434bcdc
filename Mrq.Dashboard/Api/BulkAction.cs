using Microsoft.Extensions.Primitives;
using Mrq.Jobs;
using Mrq.Monitoring;

namespace Mrq.Dashboard.Api;

/// <summary>
/// An action on every job matching a dashboard filter, done through <c>IJobClient</c>: by filter when the storage
/// evaluates the whole filter, else by the ids the monitor found.
/// </summary>
internal static class BulkAction
{
    public static bool TryParseKind(StringValues value, out JobActionKind kind, out string? error)
    {
        error = null;
        switch (value.ToString())
        {
            case "cancel":
                kind = JobActionKind.Cancel;
                return true;
            case "requeue":
                kind = JobActionKind.Requeue;
                return true;
            default:
                kind = default;
                error = $"Unknown action '{value}'; expected cancel or requeue.";
                return false;
        }
    }

    /// <summary>How many jobs the action would change: matches in a status the action moves jobs from.</summary>
    public static async Task<long> CountAsync(DashboardRequest request, JobActionKind kind, JobSearchQuery query)
    {
        var search = Unsorted(query);
        var effective = new JobAction(kind, search.Filter, request.UtcNow).EffectiveFilter();
        var page = await request.Monitor.SearchJobsAsync(search with { Filter = effective }, 0, 1, request.Http.RequestAborted).ConfigureAwait(false);
        return page.Total;
    }

    /// <summary>Applies the action; null with an error when the filter matches more jobs than the monitor scans.</summary>
    public static async Task<(long? Count, string? Error)> ApplyAsync(DashboardRequest request, JobActionKind kind, JobSearchQuery query, string? destination)
    {
        var cancellationToken = request.Http.RequestAborted;
        var search = Unsorted(query);
        var filter = search.Filter;
        if (!search.IsStorageNative)
        {
            var (ids, truncated) = await request.Monitor.FindJobIdsAsync(search, cancellationToken).ConfigureAwait(false);
            if (truncated)
            {
                return (null, $"More than {request.Monitor.ScanLimit} jobs match; narrow the filter by queue, status, worker or exception type.");
            }

            if (ids.Count == 0)
            {
                return (0, null);
            }

            filter = filter with { Ids = ids };
        }

        var count = kind == JobActionKind.Cancel
            ? await request.Client.CancelJobsAsync(filter, cancellationToken).ConfigureAwait(false)
            : await request.Client.RequeueJobsAsync(filter, destination, cancellationToken).ConfigureAwait(false);
        return (count, null);
    }

    // Order does not change which jobs match; dropping it lets a storage-only filter run in the storage.
    private static JobSearch Unsorted(JobSearchQuery query) => query.ToSearch() with { Sort = JobSortKey.Id, Descending = true };
}
