using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>Maps <see cref="WorkerReport"/> to and from MRQ's <c>mrq_workers</c> document shape (reference §2.3).</summary>
internal static class WorkerDocuments
{
    public const string DateReported = "datereported";

    public static BsonDocument ToDocument(WorkerReport report) => new()
    {
        ["_id"] = report.Id,
        ["name"] = report.Name,
        ["status"] = report.Status,
        ["config"] = new BsonDocument
        {
            ["queues"] = new BsonArray(report.Config.Queues.Select(queue => new BsonValue(queue))),
            ["greenlets"] = report.Config.Greenlets,
            ["max_jobs"] = report.Config.MaxJobs,
            ["processes"] = report.Config.Processes,
            ["dequeue_strategy"] = report.Config.DequeueStrategy,
            ["name"] = report.Config.Name,
            ["local_ip"] = report.Config.LocalIp,
        },
        ["done_jobs"] = report.DoneJobs,
        ["datestarted"] = JobDocuments.Utc(report.DateStarted),
        [DateReported] = JobDocuments.Utc(report.DateReported),
        ["process"] = new BsonDocument
        {
            ["pid"] = report.Process.Pid,
            ["cpu"] = new BsonDocument { ["user"] = report.Process.CpuUser, ["system"] = report.Process.CpuSystem },
            ["mem"] = new BsonDocument { ["rss"] = report.Process.MemRss },
        },
        ["jobs"] = new BsonArray(report.Jobs.Select(job => (BsonValue)new BsonDocument
        {
            ["id"] = job.Id,
            ["path"] = job.Path,
            ["datestarted"] = JobDocuments.Utc(job.DateStarted),
            ["time"] = job.Time,
        })),
    };

    public static WorkerReport ToReport(BsonDocument doc)
    {
        var config = doc["config"].AsDocument;
        var process = doc["process"].AsDocument;
        return new WorkerReport
        {
            Id = doc["_id"].AsString,
            Name = doc["name"].AsString,
            Status = doc["status"].AsString,
            Config = new WorkerReportConfig(
                config["queues"].AsArray.Select(queue => queue.AsString).ToArray(),
                config["greenlets"].AsInt32,
                config["max_jobs"].AsInt32,
                config["processes"].AsInt32,
                config["dequeue_strategy"].AsString,
                config["name"].AsString,
                config["local_ip"].AsString),
            DoneJobs = doc["done_jobs"].AsInt64,
            DateStarted = JobDocuments.Date(doc, "datestarted") ?? DateTime.UnixEpoch,
            DateReported = JobDocuments.Date(doc, DateReported) ?? DateTime.UnixEpoch,
            Process = new WorkerProcessInfo(
                process["pid"].AsInt32,
                process["cpu"].AsDocument["user"].AsDouble,
                process["cpu"].AsDocument["system"].AsDouble,
                process["mem"].AsDocument["rss"].AsInt64),
            Jobs = doc["jobs"].AsArray
                .Select(item => item.AsDocument)
                .Select(job => new RunningJobReport(
                    job["id"].AsString,
                    job["path"].AsString,
                    JobDocuments.Date(job, "datestarted") ?? DateTime.UnixEpoch,
                    job["time"].AsDouble))
                .ToArray(),
        };
    }
}
