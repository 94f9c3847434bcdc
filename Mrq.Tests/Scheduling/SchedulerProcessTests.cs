using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Tests.Distributed;
using Mrq.Tests.Process;
using Mrq.Tests.WorkerTasks;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

/// <summary><c>mrq worker --scheduler</c> through the real command: flags, <c>mrq.json</c> entries and a bad entry.</summary>
[TestFixture]
[Category("process")]
public sealed class SchedulerProcessTests : ProcessTestBase
{
    [Test]
    public async Task PrintConfig_SchedulerFlagsAndFileEntries()
    {
        await File.WriteAllTextAsync(PathOf("mrq.json"), """{"scheduler_tasks": [{"path": "samples.Add", "params": {"a": 1, "b": 2}, "dailytime": "03:00", "weekday": 6}]}""");

        var result = await RunAsync("worker", "--print-config", "--scheduler", "--scheduler_interval", "5");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var config = JsonNode.Parse(result.Stdout)!;
        Assert.That(config["scheduler"]!.GetValue<bool>(), Is.True);
        Assert.That(config["scheduler_interval"]!.GetValue<double>(), Is.EqualTo(5));
        Assert.That(config["scheduler_tasks"]!.ToJsonString(), Is.EqualTo("""[{"path":"samples.Add","params":{"a":1,"b":2},"dailytime":"03:00:00","weekday":6}]"""));
    }

    [Test]
    public async Task Worker_InvalidEntry_ExitsWith2NamingIt()
    {
        await File.WriteAllTextAsync(PathOf("mrq.json"), """{"scheduler_tasks": [{"path": "samples.Add", "monthday": 3}]}""");

        var result = await RunAsync("worker", "--storage", Db.Path, "--scheduler");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain("scheduler_tasks[0] samples.Add (no timing): monthday needs a dailytime."));
    }

    [Test]
    public async Task Worker_LiteDb_QueuesTheEntryAtStartAndRunsIt()
    {
        var parameters = new JsonObject { ["dir"] = Directory, ["tag"] = "scheduled" };
        await File.WriteAllTextAsync(PathOf("mrq.json"), new JsonObject
        {
            ["scheduler_tasks"] = new JsonArray(new JsonObject { ["path"] = RecordTask.Path, ["params"] = parameters, ["interval"] = 3600 }),
        }.ToJsonString());

        var result = await RunAsync("worker", "--storage", Db.Path, "--tasks", DistributedCluster.TasksDll, "--scheduler", "--max-jobs", "1");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ExecutionRecords.Read(Directory).Select(e => e.Tag), Is.EqualTo(new[] { "scheduled" }));
    }
}

/// <summary>
/// Many schedulers, one run, across processes: <c>mrq worker --scheduler --processes 2</c> on MongoDB + Redis. Both
/// children tick every 0.2 s; an hourly entry is queued once, while a per-second cron entry shows the ticks go on.
/// </summary>
[TestFixture]
[Category("mongo")]
[Category("redis")]
[Category("process")]
public sealed class SchedulerMultiProcessTests
{
    [Test]
    public async Task TwoProcesses_HourlyEntryQueuedOnce()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "the supervisor's signals are POSIX");
        await using var cluster = await DistributedCluster.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(cluster.Directory, "mrq.json"), new JsonObject
        {
            ["scheduler_tasks"] = new JsonArray(
                new JsonObject { ["path"] = RecordTask.Path, ["params"] = cluster.RecordParams("hourly"), ["interval"] = 3600, ["queue"] = cluster.Queue },
                new JsonObject { ["path"] = RecordTask.Path, ["params"] = cluster.RecordParams("cron"), ["cron"] = "* * * * * *", ["queue"] = cluster.Queue }),
        }.ToJsonString());

        cluster.StartWorker("--processes", "2", "--scheduler", "--scheduler-interval", "0.2", cluster.Queue);

        var executions = await cluster.WaitForExecutionsAsync(e => e.Count(x => x.Tag == "cron") >= 5, "five per-second cron runs");
        Assert.That(executions.Count(e => e.Tag == "hourly"), Is.EqualTo(1), cluster.DescribeWorkers());
        Assert.That(executions.Select(e => e.JobId), Is.Unique);
        var raw = cluster.RawJobs.Database.GetCollection<BsonDocument>("mrq_scheduled_jobs");
        Assert.That(await raw.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty), Is.EqualTo(2));
    }
}
