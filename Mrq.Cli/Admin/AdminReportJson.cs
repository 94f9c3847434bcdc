using System.Globalization;
using System.Text.Json.Nodes;
using Mrq.Storage;

namespace Mrq.Cli.Admin;

/// <summary>
/// A worker report as MRQ's admin port and <c>--report_file</c> give it: <c>_id</c> as a string and dates as naive
/// UTC ISO strings (<c>2026-11-27T20:06:02.694041</c>).
/// </summary>
internal static class AdminReportJson
{
    /// <summary>The report as JSON text.</summary>
    public static string Write(WorkerReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var config = report.Config;
        var process = report.Process;
        var json = new JsonObject
        {
            ["status"] = report.Status,
            ["done_jobs"] = report.DoneJobs,
            ["usage_avg"] = report.UsageAvg,
            ["name"] = report.Name,
            ["_id"] = report.Id,
            ["datestarted"] = Date(report.DateStarted),
            ["datereported"] = Date(report.DateReported),
            ["config"] = new JsonObject
            {
                ["name"] = config.Name,
                ["max_jobs"] = config.MaxJobs,
                ["max_memory"] = config.MaxMemory,
                ["greenlets"] = config.Greenlets,
                ["processes"] = config.Processes,
                ["scheduler"] = config.Scheduler,
                ["agent_id"] = config.AgentId,
                ["worker_group"] = config.WorkerGroup,
                ["queues"] = new JsonArray([.. config.Queues.Select(q => (JsonNode)q)]),
                ["local_ip"] = config.LocalIp,
                ["external_ip"] = config.ExternalIp,
                ["dequeue_strategy"] = config.DequeueStrategy,
            },
            ["io"] = new JsonObject { ["types"] = new JsonArray(), ["tasks"] = new JsonArray(), ["total"] = 0 },
            ["process"] = new JsonObject
            {
                ["pid"] = process.Pid,
                ["cpu"] = new JsonObject { ["user"] = process.CpuUser, ["system"] = process.CpuSystem, ["percent"] = process.CpuPercent },
                ["mem"] = new JsonObject { ["rss"] = process.MemRss, ["swap"] = process.MemSwap, ["total"] = process.MemTotal },
            },
            ["jobs"] = new JsonArray([.. report.Jobs.Select(job => (JsonNode)new JsonObject
            {
                ["stack"] = new JsonArray([.. job.Stack.Select(s => (JsonNode)s)]),
                ["path"] = job.Path,
                ["datestarted"] = Date(job.DateStarted),
                ["id"] = job.Id,
                ["time"] = job.Time,
                ["switches"] = job.Switches,
            })]),
        };
        return json.ToJsonString();
    }

    private static string Date(DateTime date) => date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
