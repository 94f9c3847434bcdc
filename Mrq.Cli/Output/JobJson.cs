using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mrq.Jobs;

namespace Mrq.Cli.Output;

/// <summary>Jobs as JSON with MRQ's <c>mrq_jobs</c> field names (dates in ISO 8601 UTC).</summary>
internal static class JobJson
{
    /// <summary>Indented output for people.</summary>
    public static JsonSerializerOptions Indented { get; } = new(JsonSerializerOptions.Default) { WriteIndented = true };

    /// <summary>The job as a JSON object; <paramref name="logs"/> is added as <c>logs</c> when given.</summary>
    public static JsonObject ToJson(JobRecord job, string? logs = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = new JsonObject
        {
            ["_id"] = job.Id.ToString(),
            ["path"] = job.Path,
            ["params"] = job.Params.DeepClone(),
            ["queue"] = job.Queue,
            ["status"] = job.Status.ToMrqName(),
            ["datequeued"] = Date(job.DateQueued),
        };
        Add(json, "datestarted", Date(job.DateStarted));
        Add(json, "dateupdated", Date(job.DateUpdated));
        Add(json, "dateexpires", Date(job.DateExpires));
        Add(json, "dateretry", Date(job.DateRetry));
        Add(json, "worker", job.Worker);
        if (job.Result is not null)
        {
            json["result"] = job.Result.DeepClone();
        }

        if (job.Progress is { } progress)
        {
            json["progress"] = progress;
        }

        if (job.RetryCount > 0)
        {
            json["retry_count"] = job.RetryCount;
        }

        Add(json, "exceptiontype", job.ExceptionType);
        Add(json, "traceback", job.Traceback);
        Add(json, "raw_queue", job.RawQueue);
        if (job.TotalTime is { } total)
        {
            json["totaltime"] = total;
        }

        if (job.TracebackHistory.Count > 0)
        {
            json["traceback_history"] = new JsonArray([.. job.TracebackHistory.Select(h => (JsonNode)new JsonObject
            {
                ["date"] = Date(h.Date),
                ["status"] = h.Status.ToMrqName(),
                ["exceptiontype"] = h.ExceptionType,
                ["traceback"] = h.Traceback,
                ["worker"] = h.Worker,
            })]);
        }

        if (logs is not null)
        {
            json["logs"] = logs;
        }

        return json;
    }

    /// <summary>A UTC date as ISO 8601, or null.</summary>
    public static string? Date(DateTime? date) =>
        date is { } d ? DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : null;

    private static void Add(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }
}
