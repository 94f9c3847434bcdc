using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Mrq.Cli;
using Mrq.Cli.Configuration;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>MRQ's Python config modules (<c>--config mrq_config.py</c>) read as literal settings, in process.</summary>
[TestFixture]
[Category("process")]
public sealed class PythonConfigFileTests
{
    private const string Example = """
        # mrq_config.py
        import os  # imports are ignored
        NAME = "worker-a"
        QUEUES = ("high", "default")
        GREENLETS = 8
        MAX_JOBS = 0
        REDIS_PREFIX = "mrq"
        TASKS = {
            "tasks.Fetch": {"timeout": 60, "queue": "fetch"},  # comments anywhere
        }
        SCHEDULER_TASKS = [
            {"path": "tasks.Report", "params": {"day": None, "flag": True, "list": []}, "interval": 3600},
        ]
        """;

    private const string ExampleJson = """
        {"name": "worker-a", "queues": ["high", "default"], "greenlets": 8, "max_jobs": 0, "redis_prefix": "mrq",
         "tasks": {"tasks.Fetch": {"timeout": 60, "queue": "fetch"}},
         "scheduler_tasks": [{"path": "tasks.Report", "params": {"day": null, "flag": true, "list": []}, "interval": 3600}]}
        """;

    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "mrq-pyconfig-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Load_Example_SameValuesAsTheEquivalentJson()
    {
        var python = Load("mrq_config.py", Example);
        var json = Load("mrq.json", ExampleJson);

        Assert.That(Layer(python), Is.EquivalentTo(Layer(json)));
        var options = python.BindOptions();
        Assert.That(options.Queues, Is.EqualTo(new[] { "high", "default" }));
        Assert.That(options.Greenlets, Is.EqualTo(8));
        Assert.That(options.SchedulerTasks.Single().Params!.ToJsonString(), Is.EqualTo(json.BindOptions().SchedulerTasks.Single().Params!.ToJsonString()));
        Assert.That(python.Sources()["greenlets"], Is.EqualTo("file"));
    }

    [Test]
    public void Load_Literals_ParseLikePython()
    {
        var configuration = Load("c.py", """"
            """Module docstring."""
            from os import (path,
                environ)
            NAME = 'a' "b" \
                r"\d"
            LOG_FORMAT = """multi
            line"""
            REPORT_FILE = "tab\there \u00e9 \x41 \'q\'"
            TASKS = {"t.A": {"timeout": -5, "max_retries": 0x10,}, 'u.B': {"retry_delay": 2.5}}
            SCHEDULER_TASKS = [{"path": "x.Y", "params": {"a": [1, -2.5e3, "s"], "n": {"k": False}}, "interval": .5},]
            helper = [1, 2]
            """");

        Assert.That(configuration.Get("name"), Is.EqualTo("ab\\d"));
        Assert.That(configuration.Get("log_format"), Is.EqualTo("multi\nline"));
        Assert.That(configuration.Get("report_file"), Is.EqualTo("tab\there é A 'q'"));
        Assert.That(configuration.Get("tasks:t.A:timeout"), Is.EqualTo("-5"));
        Assert.That(configuration.Get("tasks:t.A:max_retries"), Is.EqualTo("16"));
        Assert.That(configuration.Get("tasks:u.B:retry_delay"), Is.EqualTo("2.5"));
        Assert.That(configuration.Get("scheduler_tasks:0:params:a:1"), Is.EqualTo("-2.5e3"));
        Assert.That(configuration.Get("scheduler_tasks:0:params:n:k"), Is.EqualTo("False"));
        Assert.That(configuration.Get("scheduler_tasks:0:interval"), Is.EqualTo("0.5"));
        Assert.That(configuration.Get("helper:0"), Is.Null, "lowercase names are ignored");
    }

    [TestCase("RAW_QUEUES = {\"pushback_raw\": {\"job_factory\": lambda job: job}}", 2, "RAW_QUEUES is not a literal (lambda); register raw queues with ConfigureMrq")]
    [TestCase("NAME = os.getenv(\"X\")", 2, "NAME is not a literal (function call os.getenv(…))")]
    [TestCase("NAME = os.environ[\"X\"]", 2, "NAME is not a literal (name reference os.environ)")]
    [TestCase("def helper():\n    return 1", 2, "'def helper' is not a literal setting")]
    [TestCase("GREENLETS = ...", 2, "GREENLETS is not a literal (...)")]
    [TestCase("GREENLETS = 2 ** 3", 2, "GREENLETS is not a literal (expression with '**')")]
    [TestCase("GREENLETS = 1 + x", 2, "GREENLETS is not a literal (name reference x)")]
    [TestCase("GREENLETS = 4 // 0", 2, "GREENLETS is not a literal (division by zero)")]
    [TestCase("GREENLETS = 2 * (3 + 1)", 2, "GREENLETS is not a literal (expression with '(')")]
    [TestCase("QUEUES = [\"a\",\n  \"b\"\nNAME = \"x\"", 2, "QUEUES is not a literal ('[' is never closed)")]
    [TestCase("QUEUES = [\"a\",\n  \"b", 3, "QUEUES is not a literal (unterminated string)")]
    [TestCase("NAME = f\"x{y}\"", 2, "NAME is not a literal (f-string)")]
    public void Load_RefusedConstruct_OneLineErrorWithLineAndKey(string statement, int line, string expected)
    {
        var file = Path.Combine(_directory, "c.py");

        var error = Assert.Throws<CliUsageException>(() => Load("c.py", "import os\n" + statement + "\n"));

        Assert.That(error!.Message, Does.StartWith($"config file '{file}' line {line}: {expected}"));
        Assert.That(error.Message, Does.Not.Contain('\n').And.Not.Contain("JSON"));
    }

    [TestCase("2 * 24 * 3600", "172800")]
    [TestCase("24*3600 + 1", "86401")]
    [TestCase("1 + 2 * 3", "7")]
    [TestCase("-7 // 2", "-4")]
    [TestCase("-7 % 3", "2")]
    [TestCase("3 / 2", "1.5")]
    [TestCase("0.5 * 4", "2")]
    public void Load_ConstantArithmetic_FoldedAsPythonEvaluatesIt(string expression, string expected)
    {
        // MRQ's own fixtures write durations so (config-scheduler8.py: "default_ttl": 2 * 24 * 3600).
        var configuration = Load("c.py", $"TASKS = {{\"t.A\": {{\"timeout\": {expression}}}}}\n");

        Assert.That(configuration.Get("tasks:t.A:timeout"), Is.EqualTo(expected));
    }

    [Test]
    public void Load_UnknownKey_RefusedNamingIt()
    {
        var error = Assert.Throws<CliUsageException>(() => Load("c.py", "GREENLETZ = 2\n"));

        Assert.That(error!.Message, Does.Contain("c.py").And.Contain("'greenletz'").And.Contain("did you mean 'greenlets'"));
    }

    [Test]
    public void Load_RedisSecond_ANamedRedisConnectionNotAnUnknownKey()
    {
        // MRQ's tests/fixtures/config-multiredis.py: tasks reach REDIS_SECOND as connections.redis_second.
        var configuration = Load("multiredis.py", "NAME = \"w\"\nREDIS = \"redis://127.0.0.1:6379\"\nREDIS_SECOND = \"redis://127.0.0.1:6379/1\"\n");

        Assert.That(configuration.NamedRedisUrls(), Is.EquivalentTo(new Dictionary<string, string> { ["redis_second"] = "redis://127.0.0.1:6379/1" }));
        var error = Assert.Throws<CliUsageException>(() => Load("notaurl.py", "REDIS_SECOND = 3\n"));
        Assert.That(error!.Message, Does.Contain("'redis_second'"), "only a Redis URL names a connection");
    }

    [Test]
    public async Task WorkerPrintConfig_ConfigPyFile_ShowsItsValues()
    {
        File.WriteAllText(Path.Combine(_directory, "x.py"), Example);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await MrqCli.RunAsync(["worker", "--print-config", "--config", Path.Combine(_directory, "x.py"), "--storage", Path.Combine(_directory, "m.db")], new CliConsole(output, errors, false, new Dictionary<string, string?>()));

        Assert.That(code, Is.EqualTo(0), errors.ToString());
        var json = JsonNode.Parse(output.ToString())!;
        Assert.That(json["greenlets"]!.GetValue<int>(), Is.EqualTo(8));
        Assert.That(json["config_file"]!.GetValue<string>(), Is.EqualTo(Path.Combine(_directory, "x.py")));
        Assert.That(json["sources"]!["greenlets"]!.GetValue<string>(), Is.EqualTo("file"));
    }

    private CliConfiguration Load(string name, string text)
    {
        File.WriteAllText(Path.Combine(_directory, name), text);
        return CliConfiguration.Load(name, new Dictionary<string, string?>(), _directory, new Dictionary<string, string?>());
    }

    private static Dictionary<string, string?> Layer(CliConfiguration configuration) =>
        configuration.Root.Providers.First() is var provider
            ? configuration.Root.AsEnumerable().Where(p => provider.TryGet(p.Key, out _)).ToDictionary(p => p.Key.ToLowerInvariant(), p => { provider.TryGet(p.Key, out var v); return v; })
            : [];
}
