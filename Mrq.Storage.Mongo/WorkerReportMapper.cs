using MongoDB.Bson;

namespace Mrq.Storage.Mongo;

/// <summary>
/// Maps <see cref="WorkerReport"/> to and from MRQ's <c>mrq_workers</c> document: <c>_id, status, config{max_jobs,
/// processes, queues, dequeue_strategy, greenlets, name, local_ip, external_ip, agent_id, worker_group, scheduler,
/// max_memory}, done_jobs, usage_avg, io{types, tasks, total}, datestarted, datereported, name, process{pid, cpu{user,
/// system, percent}, mem{rss, swap, total}}, jobs[{id, path, datestarted, time, switches, stack}]</c>. Reading tolerates reports
/// written by Python MRQ (missing fields, other numeric types, extra fields).
/// </summary>
internal static class WorkerReportMapper
{
    public const string Id = "_id";
    public const string DateReported = "datereported";

    /// <summary>Every field but <c>_id</c>, for an upsert <c>$set</c> as MRQ's report does.</summary>
    public static BsonDocument ToFields(WorkerReport report)
    {
        var config = report.Config;
        var process = report.Process;
        return new BsonDocument
        {
            { "status", report.Status },
            {
                "config", new BsonDocument
                {
                    { "max_jobs", config.MaxJobs },
                    { "processes", config.Processes },
                    { "queues", new BsonArray(config.Queues) },
                    { "dequeue_strategy", config.DequeueStrategy },
                    { "greenlets", config.Greenlets },
                    { "name", config.Name },
                    { "local_ip", config.LocalIp },
                    { "external_ip", config.ExternalIp is null ? BsonNull.Value : config.ExternalIp },
                    { "agent_id", config.AgentId },
                    { "worker_group", config.WorkerGroup },
                    { "scheduler", config.Scheduler },
                    { "max_memory", config.MaxMemory },
                }
            },
            { "usage_avg", report.UsageAvg },
            { "io", new BsonDocument { { "types", new BsonArray() }, { "tasks", new BsonArray() }, { "total", 0 } } },
            { "done_jobs", report.DoneJobs },
            { "datestarted", MongoValues.Date(report.DateStarted) },
            { DateReported, MongoValues.Date(report.DateReported) },
            { "name", report.Name },
            {
                "process", new BsonDocument
                {
                    { "pid", process.Pid },
                    { "cpu", new BsonDocument { { "user", process.CpuUser }, { "system", process.CpuSystem }, { "percent", process.CpuPercent } } },
                    { "mem", new BsonDocument { { "rss", process.MemRss }, { "swap", process.MemSwap }, { "total", process.MemTotal } } },
                }
            },
            {
                "jobs", new BsonArray(report.Jobs.Select(job => new BsonDocument
                {
                    { "id", job.Id },
                    { "path", job.Path },
                    { "datestarted", MongoValues.Date(job.DateStarted) },
                    { "time", job.Time },
                    { "switches", job.Switches },
                    { "stack", new BsonArray(job.Stack) },
                }))
            },
        };
    }

    public static WorkerReport ToReport(BsonDocument document)
    {
        var config = Document(document, "config");
        var process = Document(document, "process");
        var reported = MongoValues.ReadDate(Get(document, DateReported));
        var id = Get(document, Id);
        return new WorkerReport
        {
            Id = MongoValues.ReadWorker(id) ?? id?.ToString() ?? string.Empty,
            Name = String(document, "name") ?? String(config, "name") ?? string.Empty,
            Status = String(document, "status") ?? string.Empty,
            Config = new WorkerReportConfig(
                Get(config, "queues") is BsonArray queues ? queues.OfType<BsonString>().Select(q => q.Value).ToArray() : [],
                Int(config, "greenlets"),
                Int(config, "max_jobs"),
                Int(config, "processes"),
                String(config, "dequeue_strategy") ?? string.Empty,
                String(config, "name") ?? string.Empty,
                String(config, "local_ip") ?? string.Empty)
            {
                WorkerGroup = String(config, "worker_group") ?? string.Empty,
                AgentId = String(config, "agent_id") ?? string.Empty,
                ExternalIp = String(config, "external_ip"),
                Scheduler = Get(config, "scheduler") is BsonBoolean { Value: true },
                MaxMemory = Int(config, "max_memory"),
            },
            UsageAvg = MongoValues.ReadDouble(Get(document, "usage_avg")) ?? 0,
            DoneJobs = (long)(MongoValues.ReadDouble(Get(document, "done_jobs")) ?? 0),
            DateStarted = MongoValues.ReadDate(Get(document, "datestarted")) ?? reported ?? DateTime.UnixEpoch,
            DateReported = reported ?? DateTime.UnixEpoch,
            Process = new WorkerProcessInfo(
                Int(process, "pid"),
                MongoValues.ReadDouble(Get(Document(process, "cpu"), "user")) ?? 0,
                MongoValues.ReadDouble(Get(Document(process, "cpu"), "system")) ?? 0,
                (long)(MongoValues.ReadDouble(Get(Document(process, "mem"), "rss")) ?? 0))
            {
                CpuPercent = MongoValues.ReadDouble(Get(Document(process, "cpu"), "percent")) ?? 0,
                MemSwap = (long)(MongoValues.ReadDouble(Get(Document(process, "mem"), "swap")) ?? 0),
            },
            Jobs = Get(document, "jobs") is BsonArray jobs
                ? jobs.OfType<BsonDocument>().Select(ToRunningJob).ToArray()
                : [],
        };
    }

    private static RunningJobReport ToRunningJob(BsonDocument job)
    {
        var id = Get(job, "id");
        return new RunningJobReport(
            (id is BsonObjectId objectId ? objectId.Value.ToString() : MongoValues.ReadString(id)) ?? string.Empty,
            String(job, "path") ?? string.Empty,
            MongoValues.ReadDate(Get(job, "datestarted")) ?? DateTime.UnixEpoch,
            MongoValues.ReadDouble(Get(job, "time")) ?? 0)
        {
            Switches = Int(job, "switches"),
        };
    }

    private static BsonValue? Get(BsonDocument? document, string name) =>
        document is not null && document.TryGetValue(name, out var value) && !value.IsBsonNull ? value : null;

    private static BsonDocument? Document(BsonDocument? document, string name) => Get(document, name) as BsonDocument;

    private static string? String(BsonDocument? document, string name) => MongoValues.ReadString(Get(document, name));

    private static int Int(BsonDocument? document, string name) => (int)(MongoValues.ReadDouble(Get(document, name)) ?? 0);
}
