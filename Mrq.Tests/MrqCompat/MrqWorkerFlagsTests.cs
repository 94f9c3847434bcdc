using System.Text.Json.Nodes;
using Mrq.Cli;
using NUnit.Framework;

namespace Mrq.Tests.MrqCompat;

/// <summary><c>mrq worker</c> with Python MRQ's worker command lines (in process, <c>--print-config</c>).</summary>
[TestFixture]
public sealed class MrqWorkerFlagsTests
{
    [Test]
    public async Task MrqCommandLine_AcceptedMappedAndCompatStorage()
    {
        var (code, json, error) = await PrintConfigAsync(new Dictionary<string, string?>(),
            "--admin_port", "20020", "--trace_io", "--trace_greenlets", "--gevent", "3", "--queue_ttl=5", "--default_job_max_retries", "7",
            "--subqueues_refresh_interval", "2", "--paused_queues_refresh_interval", "3", "--worker_group", "g1", "--agent_id", "a1",
            "--local_ip", "10.1.2.3", "--external_ip", "1.2.3.4", "--max_memory", "500", "--mongodb_logs", "0", "--quiet", "--profile",
            "--add_network_latency", "1-2", "--redis_max_connections", "10", "--ensure_indexes", "high", "default", "low");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(json!["greenlets"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(json["queue_ttl"]!.GetValue<double>(), Is.EqualTo(5));
        Assert.That(json["default_job_max_retries"]!.GetValue<int>(), Is.EqualTo(7));
        Assert.That(json["subqueues_refresh_interval"]!.GetValue<double>(), Is.EqualTo(2));
        Assert.That(json["paused_queues_refresh_interval"]!.GetValue<double>(), Is.EqualTo(3));
        Assert.That(json["worker_group"]!.GetValue<string>(), Is.EqualTo("g1"));
        Assert.That(json["agent_id"]!.GetValue<string>(), Is.EqualTo("a1"));
        Assert.That(json["local_ip"]!.GetValue<string>(), Is.EqualTo("10.1.2.3"));
        Assert.That(json["external_ip"]!.GetValue<string>(), Is.EqualTo("1.2.3.4"));
        Assert.That(json["max_memory"]!.GetValue<int>(), Is.EqualTo(500));
        Assert.That(json["trace_greenlets"]!.GetValue<bool>(), Is.True);
        Assert.That(json["store_logs"]!.GetValue<bool>(), Is.False, "--mongodb_logs 0 stores no logs");
        Assert.That(json["queues"]!.AsArray().Select(q => q!.GetValue<string>()), Is.EqualTo(new[] { "high", "default", "low" }));
        Assert.That(json["storage"]!.GetValue<string>(), Is.EqualTo("MongoDB mongodb://127.0.0.1:27017/mrq + Redis redis://127.0.0.1:6379"), "MRQ-only flags select MRQ's default servers");
    }

    [Test]
    public async Task NoMrqOnlyFlag_EmbeddedStorage_UnlessCompatAsked()
    {
        var plain = await PrintConfigAsync(new Dictionary<string, string?>(), "--greenlets", "2");
        var byFlag = await PrintConfigAsync(new Dictionary<string, string?>(), "--mrq-compat");
        var byEnvironment = await PrintConfigAsync(new Dictionary<string, string?> { ["MRQ_COMPAT"] = "1" });

        Assert.That(plain.Json!["storage"]!.GetValue<string>(), Does.StartWith("LiteDB file"));
        Assert.That(byFlag.Json!["storage"]!.GetValue<string>(), Does.StartWith("MongoDB mongodb://127.0.0.1:27017/mrq"));
        Assert.That(byEnvironment.Json!["storage"]!.GetValue<string>(), Does.StartWith("MongoDB mongodb://127.0.0.1:27017/mrq"));
    }

    [Test]
    public async Task MrqEnvironment_QueuesSplitOnWhitespace_NamesAndGroupRead()
    {
        var (code, json, error) = await PrintConfigAsync(new Dictionary<string, string?>
        {
            ["MRQ_QUEUES"] = "high  default\tlow",
            ["MRQ_NAME"] = "w1",
            ["MRQ_WORKER_GROUP"] = "grp",
            ["MRQ_DEFAULT_JOB_TIMEOUT"] = "1",
            ["MRQ_MAX_LATENCY"] = "0.1",
        });

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(json!["queues"]!.AsArray().Select(q => q!.GetValue<string>()), Is.EqualTo(new[] { "high", "default", "low" }));
        Assert.That(json["name"]!.GetValue<string>(), Is.EqualTo("w1"));
        Assert.That(json["worker_group"]!.GetValue<string>(), Is.EqualTo("grp"));
        Assert.That(json["default_job_timeout"]!.GetValue<double>(), Is.EqualTo(1));
        Assert.That(json["max_latency"]!.GetValue<double>(), Is.EqualTo(0.1));
    }

    [TestCase("--worker_class", "my.Worker", "--worker_class 'my.Worker'")]
    [TestCase("--log_handler", "my.Handler", "--log_handler 'my.Handler'")]
    [TestCase("--mongodb_logs", "mongodb://elsewhere/logs", "a separate logs database is not supported")]
    public async Task UnsupportedValue_UsageErrorNamingIt(string flag, string value, string expected)
    {
        var (code, _, error) = await PrintConfigAsync(new Dictionary<string, string?>(), flag, value);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public async Task NoMaintenance_SwitchesBuiltInMaintenanceOff()
    {
        var on = await PrintConfigAsync(new Dictionary<string, string?>());
        var off = await PrintConfigAsync(new Dictionary<string, string?>(), "--no-maintenance");

        Assert.That(on.Json!["maintenance"]!.GetValue<bool>(), Is.True);
        Assert.That(off.Json!["maintenance"]!.GetValue<bool>(), Is.False);
        Assert.That(on.Json!["retry_timer"]!.GetValue<bool>(), Is.True);
        Assert.That(off.Json!["retry_timer"]!.GetValue<bool>(), Is.False, "MRQ's workers never requeue due retries themselves");
    }

    [Test]
    public async Task DefaultClasses_Accepted()
    {
        var (code, _, error) = await PrintConfigAsync(new Dictionary<string, string?>(), "--worker_class", "mrq.worker.Worker", "--log_handler", "mrq.logger.MongoHandler");

        Assert.That(code, Is.EqualTo(0), error);
    }

    [Test]
    public async Task Version_PrintsAndExits()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await MrqCli.RunAsync(["worker", "--version"], new CliConsole(output, errors, false, new Dictionary<string, string?>()));

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output.ToString(), Does.StartWith("mrq (Mrq for .NET) "));
    }

    [Test]
    public async Task TaskWhitelistAndBlacklist_OneCommaSeparatedValueEach_QueuesAfterThemStayQueues()
    {
        // MRQ's own test command line: the queue after the list must not be taken as a task path.
        var (code, json, error) = await PrintConfigAsync(new Dictionary<string, string?>(),
            "--task_whitelist", "tests.tasks.general.Add,tests.tasks.general.Fetch", "--task_blacklist", "tests.tasks.general.Leak", "default");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(json!["task_whitelist"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "tests.tasks.general.Add", "tests.tasks.general.Fetch" }));
        Assert.That(json["task_blacklist"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "tests.tasks.general.Leak" }));
        Assert.That(json["queues"]!.AsArray().Select(q => q!.GetValue<string>()), Is.EqualTo(new[] { "default" }));
    }

    private static async Task<(int Code, JsonNode? Json, string Error)> PrintConfigAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await MrqCli.RunAsync(["worker", "--print-config", .. args], new CliConsole(output, errors, false, environment));
        return (code, code == 0 ? JsonNode.Parse(output.ToString()) : null, errors.ToString());
    }
}
