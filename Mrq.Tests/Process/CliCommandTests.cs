using System.Text.Json.Nodes;
using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary><c>mrq run</c>, <c>mrq jobs</c>, <c>mrq queues</c> and bad input, through the real command.</summary>
[TestFixture]
[Category("process")]
public sealed class CliCommandTests : ProcessTestBase
{
    [TestCase("[1, 2]", "params must be a JSON object")]
    [TestCase("{\"a\": ", "params are not valid JSON")]
    public async Task Run_ParamsNotAJsonObject_ExitsWith2WithOneLineAndQueuesNothing(string parameters, string message)
    {
        var run = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Add", parameters);
        var queue = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "samples.Add", parameters);

        foreach (var result in new[] { run, queue })
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
            Assert.That(result.ErrorLines[0], Does.StartWith("mrq: " + message));
            Assert.That(result.Stdout, Is.Empty);
        }

        Assert.That(File.Exists(Db.Path), Is.False, "the storage was never opened, so nothing was queued");
    }

    [Test]
    public async Task Run_TaskAndParams_PrintsJsonResultAndLeavesNoJobOrQueueBehind()
    {
        var add = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Add", "{\"a\": 2, \"b\": 3}");
        var fetch = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Fetch", "{\"url\": \"https://example.com/x\", \"delay_ms\": 1}");
        var queues = await RunAsync("queues", "--storage", Db.Path);

        Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());
        Assert.That(add.Stdout.Trim(), Is.EqualTo("5"));
        Assert.That(fetch.ExitCode, Is.EqualTo(0), fetch.ToString());
        var result = JsonNode.Parse(fetch.Stdout)!;
        Assert.That(result["url"]!.GetValue<string>(), Is.EqualTo("https://example.com/x"));
        Assert.That(result["status"]!.GetValue<int>(), Is.EqualTo(200));
        Assert.That(await Db.CountAsync(), Is.Zero, "mrq run deletes the job it ran, as MRQ's mrq-run stores nothing");
        Assert.That(queues.Stdout, Does.Not.Contain("mrq_run_"), queues.ToString());
    }

    [Test]
    public async Task Run_MrqKeyValueForm_NumbersAreJsonOtherValuesStrings()
    {
        var add = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Add", "a", "2", "b", "40");
        var fetch = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Fetch", "url", "https://example.com/kv", "delay_ms", "1");
        var odd = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Add", "a", "2", "b");

        Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());
        Assert.That(add.Stdout.Trim(), Is.EqualTo("42"));
        Assert.That(fetch.ExitCode, Is.EqualTo(0), fetch.ToString());
        Assert.That(JsonNode.Parse(fetch.Stdout)!["url"]!.GetValue<string>(), Is.EqualTo("https://example.com/kv"));
        Assert.That(odd.ExitCode, Is.EqualTo(2), odd.ToString());
        Assert.That(odd.ErrorLines, Is.EqualTo(new[] { "mrq: params as key value pairs need an even number of arguments; got 3: a 2 b." }));
    }

    [Test]
    public async Task Run_RetryingTask_RunsAgainUntilItSucceeds()
    {
        var immediate = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Retry", "{\"succeed_after\": 2}");
        var delayed = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Retry", "{\"succeed_after\": 1, \"delay\": 0.2}");

        Assert.That(immediate.ExitCode, Is.EqualTo(0), immediate.ToString());
        Assert.That(immediate.Stdout.Trim(), Is.EqualTo("{\"attempts\":3}"));
        Assert.That(delayed.ExitCode, Is.EqualTo(0), delayed.ToString());
        Assert.That(delayed.Stdout.Trim(), Is.EqualTo("{\"attempts\":2}"));
    }

    [Test]
    public async Task Run_FailingTask_ExitsWith1AndPrintsStatusAndTraceback()
    {
        var result = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Fail", "{\"message\": \"boom-42\"}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.ErrorLines[0], Does.Match("^mrq: job [0-9a-f]{24} \\(samples.Fail\\) ended failed: InvalidOperationException$"));
        Assert.That(result.Stderr, Does.Contain("boom-42"));
        Assert.That(await Db.CountAsync(), Is.Zero, "the failed job is deleted too: its traceback was printed");
    }

    [Test]
    public async Task Run_UnknownTask_ExitsWith2AndNamesKnownTasks()
    {
        var result = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "samples.Nope", "{}");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("samples.Nope").And.Contain("samples.Add"));
        Assert.That(File.Exists(Db.Path), Is.False);
    }

    [Test]
    public async Task Run_WithQueue_QueuesOnlyAndPrintsTheId()
    {
        var result = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "samples.Add", "{\"a\": 1, \"b\": 1}");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(JobId.TryParse(result.Stdout.Trim(), out var id), Is.True, result.ToString());
        var job = await Db.GetAsync(id);
        Assert.That(job.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(job.Queue, Is.EqualTo("later"));
        Assert.That(job.Params["a"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task JobsShow_EndedJobs_PrintParamsResultTracebackAndLogs()
    {
        var failed = await Db.QueueAsync("samples.Fail", new JsonObject { ["message"] = "boom-7" });
        var added = await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = 20, ["b"] = 22 });
        var fetched = await Db.QueueAsync("samples.Fetch", new JsonObject { ["url"] = "https://example.com/logged", ["delay_ms"] = 1 });
        await Db.RunBurstAsync("default");

        var fail = await RunAsync("jobs", "show", failed.ToString(), "--storage", Db.Path);
        var add = await RunAsync("jobs", "show", added.ToString(), "--storage", Db.Path, "--json");
        var fetch = await RunAsync("jobs", "show", fetched.ToString(), "--storage", Db.Path);

        Assert.That(fail.ExitCode, Is.EqualTo(0), fail.ToString());
        Assert.That(fail.Stdout, Does.Contain("status:       failed"));
        Assert.That(fail.Stdout, Does.Contain("params:").And.Contain("\"message\": \"boom-7\""));
        Assert.That(fail.Stdout, Does.Contain("traceback:").And.Contain("System.InvalidOperationException: boom-7"));
        Assert.That(fail.Stdout, Does.Contain("exceptiontype: InvalidOperationException"));
        var json = JsonNode.Parse(add.Stdout)!;
        Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("success"));
        Assert.That(json["result"]!.GetValue<long>(), Is.EqualTo(42));
        Assert.That(json["params"]!["a"]!.GetValue<int>(), Is.EqualTo(20));
        Assert.That(fetch.Stdout, Does.Contain("logs:").And.Contain("Fetching https://example.com/logged"));
    }

    [Test]
    public async Task JobsShow_UnknownOrMalformedId_FailsWithOneLine()
    {
        var id = JobId.NewId(DateTime.UtcNow).ToString();
        var missing = await RunAsync("jobs", "show", id, "--storage", Db.Path);
        var malformed = await RunAsync("jobs", "show", "xyz", "--storage", Db.Path);

        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
        Assert.That(missing.ErrorLines, Is.EqualTo(new[] { $"mrq: no job {id}." }));
        Assert.That(malformed.ExitCode, Is.EqualTo(2), malformed.ToString());
        Assert.That(malformed.ErrorLines, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task JobsCancelAndRequeue_ByFilter_PrintCountsAndChangeTheJobs()
    {
        var ids = new List<JobId>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = i, ["b"] = i }, "q"));
        }

        var other = await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = 9, ["b"] = 9 }, "other");

        var unfiltered = await RunAsync("jobs", "cancel", "--storage", Db.Path);
        var cancel = await RunAsync("jobs", "cancel", "--queue", "q", "--storage", Db.Path);
        var list = await RunAsync("jobs", "--status", "cancel", "--json", "--storage", Db.Path);
        var requeue = await RunAsync("jobs", "requeue", "--queue", "q", "--destination-queue", "r", "--storage", Db.Path);
        var queues = await RunAsync("queues", "--json", "--storage", Db.Path);

        Assert.That(unfiltered.ExitCode, Is.EqualTo(2), unfiltered.ToString());
        Assert.That(unfiltered.ErrorLines, Has.Count.EqualTo(1));
        Assert.That(cancel.Stdout.Trim(), Is.EqualTo("cancelled 3 job(s)"), cancel.ToString());
        Assert.That(list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3), list.ToString());
        Assert.That(requeue.Stdout.Trim(), Is.EqualTo("requeued 3 job(s)"), requeue.ToString());
        Assert.That(JsonNode.Parse(queues.Stdout)!.ToJsonString(), Is.EqualTo("{\"other\":{\"queued\":1},\"r\":{\"queued\":3}}"), queues.ToString());
        foreach (var id in ids)
        {
            var job = await Db.GetAsync(id);
            Assert.That((job.Status, job.Queue), Is.EqualTo((JobStatus.Queued, "r")));
        }

        Assert.That((await Db.GetAsync(other)).Queue, Is.EqualTo("other"));
    }

    [Test]
    public async Task Jobs_ParamsFilter_OnlyMatchingJobs()
    {
        var match = await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = 42, ["b"] = 1 }, "q");
        await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = 7, ["b"] = 1 }, "q");

        var jobs = await RunAsync("jobs", "--storage", Db.Path, "--params", "{\"a\": 42}", "--json");
        var bad = await RunAsync("jobs", "--storage", Db.Path, "--params", "[1]");

        Assert.That(jobs.ExitCode, Is.EqualTo(0), jobs.ToString());
        var lines = jobs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), jobs.ToString());
        Assert.That(JsonNode.Parse(lines[0])!["_id"]!.GetValue<string>(), Is.EqualTo(match.ToString()));
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
        Assert.That(bad.ErrorLines, Has.Count.EqualTo(1));
        Assert.That(bad.ErrorLines[0], Does.StartWith("mrq: --params: "));
    }

    [Test]
    public async Task JobsAndQueues_Tables_ListJobsAndCounts()
    {
        await Db.QueueAsync("samples.Add", new JsonObject { ["a"] = 1, ["b"] = 1 }, "q");
        await Db.QueueAsync("samples.Fail", new JsonObject(), "q");

        var jobs = await RunAsync("jobs", "--storage", Db.Path);
        var queues = await RunAsync("queues", "--storage", Db.Path);

        Assert.That(jobs.ExitCode, Is.EqualTo(0), jobs.ToString());
        Assert.That(jobs.Stdout, Does.StartWith("ID ").And.Contain("samples.Fail").And.Contain("2 job(s)"));
        Assert.That(queues.Stdout.Split('\n')[0], Does.Match("^QUEUE +QUEUED +TOTAL$"));
        Assert.That(queues.Stdout.Split('\n')[1], Does.Match("^q +2 +2$"));
    }

    [TestCase("--greenlets", "0", "greenlets must be at least 1 (got 0)")]
    [TestCase("--default-job-timeout", "-5", "timeout must be positive (got -5)")]
    [TestCase("--max_jobs", "-1", "max_jobs must be 0 (no limit) or positive (got -1)")]
    [TestCase("--prefetch", "-1", "prefetch must be 0 or more (got -1)")]
    public async Task Worker_InvalidOption_ExitsWith2WithOneLineBeforeOpeningStorage(string flag, string value, string message)
    {
        var result = await RunAsync("worker", "--storage", Db.Path, flag, value);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("mrq: invalid options:").And.Contain(message));
        Assert.That(File.Exists(Db.Path), Is.False);
    }

    [Test]
    public async Task Worker_UnknownFlagOrBadNumber_ExitsWith2()
    {
        var unknown = await RunAsync("worker", "--storage", Db.Path, "--no-such-flag");
        var number = await RunAsync("worker", "--storage", Db.Path, "--greenlets", "many");

        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
        Assert.That(number.ExitCode, Is.EqualTo(2), number.ToString());
        Assert.That(number.Stderr, Does.Contain("many"));
    }

    [Test]
    public async Task Storage_LockedByAWorker_ClearErrorAndNoStackTrace()
    {
        var worker = Start("worker", "--storage", Db.Path);
        await worker.WaitForStderrAsync(") started: queues default");

        var result = await RunAsync("worker", "--storage", Db.Path, "--log-level", "warning");
        worker.Signal(Cli.Supervisor.NativeSignals.SigInt);
        var stopped = await worker.WaitForExitAsync();

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain("is already open in another process").And.Contain("distributed mode"));
        Assert.That(result.Stderr, Does.Not.Contain("   at "));
        Assert.That(stopped.ExitCode, Is.EqualTo(0), stopped.ToString());
    }

    [Test]
    public async Task Storage_CorruptFile_ClearErrorAndNoStackTrace()
    {
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(Db.Path, bytes);

        var result = await RunAsync("worker", "--storage", Db.Path);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain("mrq: The Mrq LiteDB file").And.Contain("corrupt"));
        Assert.That(result.Stderr, Does.Not.Contain("   at "));
    }
}
