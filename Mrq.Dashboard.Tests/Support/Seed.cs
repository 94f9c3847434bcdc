using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Dashboard.Tests.Support;

/// <summary>Stored data for the views: one job of every status (on queues <c>default</c>, <c>sub/a</c>, <c>sub/b</c>), logs, a worker report and raw members.</summary>
internal sealed class Seed
{
    public const string WorkerId = "aaaaaaaaaaaaaaaaaaaaaaaa";
    public const string ScriptText = "<script>alert('x')</script>";

    public required IReadOnlyDictionary<JobStatus, JobId> ByStatus { get; init; }

    public required JobId ScriptJob { get; init; }

    public static async Task<Seed> WriteAsync(MrqStorage storage, DateTime now)
    {
        var jobs = new List<JobRecord>();
        var byStatus = new Dictionary<JobStatus, JobId>();
        var i = 0;
        foreach (var status in JobStatusNames.All)
        {
            var queue = i % 3 == 0 ? "default" : i % 3 == 1 ? "sub/a" : "sub/b";
            var job = JobRecord.NewQueued(status == JobStatus.Failed ? "samples.Fail" : "samples.Add", new JsonObject { ["a"] = i, ["b"] = 100 + i }, queue, now.AddMinutes(-60 + i));
            job.Status = status;
            job.DateUpdated = now.AddMinutes(-30 + i);
            if (status != JobStatus.Queued)
            {
                job.Worker = WorkerId;
                job.DateStarted = now.AddMinutes(-40 + i);
                job.TotalTime = 0.5 + i;
            }

            if (status == JobStatus.Success)
            {
                job.Result = new JsonObject { ["sum"] = "marker-result-42" };
            }

            if (status == JobStatus.Failed)
            {
                job.ExceptionType = "System.InvalidOperationException";
                job.Traceback = "System.InvalidOperationException: seeded failure\n   at Samples.Fail.RunAsync()";
                job.TracebackHistory.Add(new TracebackEntry(now.AddMinutes(-20), JobStatus.Failed, "System.InvalidOperationException", "first attempt traceback", null, WorkerId));
            }

            jobs.Add(job);
            byStatus[status] = job.Id;
            i++;
        }

        var script = JobRecord.NewQueued("samples.Add", new JsonObject { ["a"] = 1, ["b"] = 2, ["note"] = ScriptText }, "default", now);
        jobs.Add(script);
        await storage.Jobs.InsertAsync(jobs, CancellationToken.None);
        await storage.Logs.AppendAsync([new LogBatch(byStatus[JobStatus.Failed], WorkerId, "starting the seeded job\nabout to fail")], CancellationToken.None);
        await storage.Workers.ReportAsync(new WorkerReport
        {
            Id = WorkerId,
            Name = "host.1234",
            Status = "wait",
            Config = new WorkerReportConfig(["default", "sub/"], 4, 0, 1, "sequential", "host.1234", "127.0.0.1"),
            DoneJobs = 7,
            DateStarted = now.AddMinutes(-50),
            DateReported = now,
            Process = new WorkerProcessInfo(1234, 1.5, 0.5, 50_000_000),
            Jobs = [new RunningJobReport(byStatus[JobStatus.Started].ToString(), "samples.Add", now.AddSeconds(-5), 5)],
        }, CancellationToken.None);
        await storage.RawQueues.PushAsync(TestStorageSetup.RawQueue, [new RawQueueItem("first-member"), new RawQueueItem("second-member")], now, CancellationToken.None);
        return new Seed { ByStatus = byStatus, ScriptJob = script.Id };
    }
}
