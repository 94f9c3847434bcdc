using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Monitoring;
using Mrq.Storage;

namespace Mrq.Dashboard.Api;

/// <summary>The JSON API's documents. Jobs and worker reports keep MRQ's field names.</summary>
internal static class JsonViews
{
    public static JsonObject Job(JobRecord job) => new()
    {
        ["_id"] = job.Id.ToString(),
        ["path"] = job.Path,
        ["params"] = job.Params.DeepClone(),
        ["queue"] = job.Queue,
        ["status"] = job.Status.ToMrqName(),
        ["datequeued"] = job.DateQueued,
        ["datestarted"] = job.DateStarted,
        ["dateupdated"] = job.DateUpdated,
        ["dateexpires"] = job.DateExpires,
        ["dateretry"] = job.DateRetry,
        ["worker"] = job.Worker,
        ["result"] = job.Result?.DeepClone(),
        ["progress"] = job.Progress,
        ["retry_count"] = job.RetryCount,
        ["exceptiontype"] = job.ExceptionType,
        ["traceback"] = job.Traceback,
        ["traceback_history"] = new JsonArray([.. job.TracebackHistory.Select(TracebackEntry)]),
        ["raw_queue"] = job.RawQueue,
        ["totaltime"] = job.TotalTime,
    };

    public static JsonObject JobDetails(JobDetails details) => new()
    {
        ["job"] = Job(details.Job),
        ["logs"] = details.Logs,
    };

    public static JsonObject Page(JobPage page, JobSearchQuery query) => new()
    {
        ["total"] = page.Total,
        ["truncated"] = page.Truncated,
        ["page"] = query.Page,
        ["size"] = query.Size,
        ["jobs"] = new JsonArray([.. page.Jobs.Select(j => (JsonNode)Job(j))]),
    };

    public static JsonObject Overview(MonitorOverview overview, ThroughputSeries throughput)
    {
        var queues = new JsonObject();
        foreach (var queue in overview.Queues)
        {
            queues[queue.Name] = Queue(queue);
        }

        return new JsonObject
        {
            ["at"] = overview.At,
            ["totals"] = Counts(overview.StatusTotals),
            ["workers"] = new JsonObject { ["alive"] = overview.WorkersAlive, ["stale"] = overview.WorkersStale },
            ["queues"] = queues,
            ["throughput"] = Throughput(throughput, overview.At),
        };
    }

    public static JsonObject Throughput(ThroughputSeries series, DateTime now) => new()
    {
        ["bucket_seconds"] = ThroughputSeries.Bucket.TotalSeconds,
        ["since"] = series.Since,
        ["points"] = new JsonArray([.. series.Read(now).Select(p => (JsonNode)new JsonObject
        {
            ["at"] = p.Start,
            ["succeeded"] = p.Succeeded,
            ["failed"] = p.Failed,
        })]),
    };

    public static JsonObject Queue(QueueSummary queue) => new()
    {
        ["raw"] = queue.IsRaw,
        ["paused"] = queue.Paused,
        ["total"] = queue.Total,
        ["raw_size"] = queue.RawSize,
        ["counts"] = Counts(queue.Counts),
        ["oldest_queued_seconds"] = queue.OldestQueuedAge?.TotalSeconds,
    };

    public static JsonObject Workers(IReadOnlyList<WorkerStatus> workers)
    {
        var byId = new JsonObject();
        foreach (var worker in workers)
        {
            byId[worker.Report.Id] = Worker(worker);
        }

        return new JsonObject
        {
            ["alive"] = workers.Count(w => !w.IsStale),
            ["stale"] = workers.Count(w => w.IsStale),
            ["workers"] = byId,
        };
    }

    public static JsonObject Tasks(TaskStatsReport report)
    {
        var byPath = new JsonObject();
        foreach (var path in report.Tasks.GroupBy(t => t.Path, StringComparer.Ordinal))
        {
            var statuses = new JsonObject();
            foreach (var row in path)
            {
                statuses[row.Status.ToMrqName()] = new JsonObject
                {
                    ["count"] = row.Count,
                    ["avg_seconds"] = row.AverageSeconds,
                    ["p95_seconds"] = row.P95Seconds,
                };
            }

            byPath[path.Key] = statuses;
        }

        return new JsonObject { ["truncated"] = report.Truncated, ["tasks"] = byPath };
    }

    public static JsonObject RawItems(string queue, IReadOnlyList<RawQueueItem> items) => new()
    {
        ["queue"] = queue,
        ["items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject { ["member"] = i.Member, ["score"] = i.Score })]),
    };

    private static JsonObject Worker(WorkerStatus worker)
    {
        var report = worker.Report;
        return new JsonObject
        {
            ["_id"] = report.Id,
            ["name"] = report.Name,
            ["status"] = report.Status,
            ["stale"] = worker.IsStale,
            ["last_report_seconds"] = worker.LastReportAge.TotalSeconds,
            ["datestarted"] = report.DateStarted,
            ["datereported"] = report.DateReported,
            ["done_jobs"] = report.DoneJobs,
            ["config"] = new JsonObject
            {
                ["queues"] = new JsonArray([.. report.Config.Queues.Select(q => (JsonNode)q)]),
                ["greenlets"] = report.Config.Greenlets,
                ["max_jobs"] = report.Config.MaxJobs,
                ["processes"] = report.Config.Processes,
                ["dequeue_strategy"] = report.Config.DequeueStrategy,
                ["name"] = report.Config.Name,
                ["local_ip"] = report.Config.LocalIp,
            },
            ["process"] = new JsonObject
            {
                ["pid"] = report.Process.Pid,
                ["cpu"] = new JsonObject { ["user"] = report.Process.CpuUser, ["system"] = report.Process.CpuSystem },
                ["mem"] = new JsonObject { ["rss"] = report.Process.MemRss },
            },
            ["jobs"] = new JsonArray([.. report.Jobs.Select(j => (JsonNode)new JsonObject
            {
                ["id"] = j.Id,
                ["path"] = j.Path,
                ["datestarted"] = j.DateStarted,
                ["time"] = j.Time,
            })]),
        };
    }

    private static JsonObject TracebackEntry(TracebackEntry entry) => new()
    {
        ["date"] = entry.Date,
        ["status"] = entry.Status.ToMrqName(),
        ["exceptiontype"] = entry.ExceptionType,
        ["traceback"] = entry.Traceback,
        ["original_traceback"] = entry.OriginalTraceback,
        ["worker"] = entry.Worker,
    };

    private static JsonObject Counts(IReadOnlyDictionary<JobStatus, long> counts)
    {
        var json = new JsonObject();
        foreach (var status in JobStatusNames.All)
        {
            json[status.ToMrqName()] = counts.GetValueOrDefault(status);
        }

        return json;
    }
}
