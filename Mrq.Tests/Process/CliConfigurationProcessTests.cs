using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// Configuration precedence through the real command (<c>mrq worker --print-config</c>): MRQ's defaults &lt;
/// <c>mrq.json</c> (or <c>--config</c>) &lt; <c>MRQ_*</c> environment variables &lt; flags.
/// </summary>
[TestFixture]
[Category("process")]
public sealed class CliConfigurationProcessTests : ProcessTestBase
{
    [Test]
    public async Task PrintConfig_EveryLayer_FlagsOverEnvironmentOverFileOverDefaults()
    {
        await File.WriteAllTextAsync(PathOf("mrq.json"), """{"greenlets": 3, "max_jobs": 7, "max_latency": 0.5, "queues": ["a", "b"], "storage": "from-file.db"}""");
        var environment = new Dictionary<string, string> { ["MRQ_GREENLETS"] = "4", ["MRQ_QUEUES"] = "x y", ["MRQ_MAX_TIME"] = "60" };

        var all = await PrintConfigAsync(environment, "--max_jobs", "9", "--max-time", "30");
        var fileAndEnvironment = await PrintConfigAsync(environment);
        var fileOnly = await PrintConfigAsync(null, "--greenlets", "5", "--prefetch", "16");

        Assert.Multiple(() =>
        {
            Assert.That(all["max_jobs"]!.GetValue<int>(), Is.EqualTo(9), "flag over file");
            Assert.That(all["max_time"]!.GetValue<double>(), Is.EqualTo(30), "flag over environment");
            Assert.That(all["greenlets"]!.GetValue<int>(), Is.EqualTo(4), "environment over file");
            Assert.That(Strings(all["queues"]), Is.EqualTo(new[] { "x", "y" }), "an environment list replaces the file's");
            Assert.That(all["max_latency"]!.GetValue<double>(), Is.EqualTo(0.5), "file over default");
            Assert.That(all["report_interval"]!.GetValue<double>(), Is.EqualTo(10), "MRQ's default");
            Assert.That(all["storage"]!.GetValue<string>(), Does.EndWith("from-file.db"));
            Assert.That(fileAndEnvironment["max_jobs"]!.GetValue<int>(), Is.EqualTo(7));
            Assert.That(fileAndEnvironment["max_time"]!.GetValue<double>(), Is.EqualTo(60));
            Assert.That(fileOnly["greenlets"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(fileOnly["prefetch"]!.GetValue<int>(), Is.EqualTo(16));
            Assert.That(all["prefetch"], Is.Null, "the default is adaptive: no fixed prefetch");
            Assert.That(Strings(fileOnly["queues"]), Is.EqualTo(new[] { "a", "b" }), "the file's list, not appended to the default");
            Assert.That(all["sources"]!["max_jobs"]!.GetValue<string>(), Is.EqualTo("flag"), "--print-config names the layer of each value");
            Assert.That(all["sources"]!["greenlets"]!.GetValue<string>(), Is.EqualTo("environment"));
            Assert.That(all["sources"]!["max_latency"]!.GetValue<string>(), Is.EqualTo("file"));
            Assert.That(all["sources"]!["report_interval"], Is.Null, "a default has no layer");
        });
    }

    [Test]
    public async Task PrintConfig_ConfigFlagAndPositionalQueues_ReplaceTheDefaultFile()
    {
        await File.WriteAllTextAsync(PathOf("mrq.json"), """{"greenlets": 3}""");
        await File.WriteAllTextAsync(PathOf("other.json"), """{"greenlets": 6, "tasks": {"samples.Fetch": {"timeout": 12}}}""");

        var config = await PrintConfigAsync(new Dictionary<string, string> { ["MRQ_TASKS__samples.Add__max_retries"] = "9" }, "--config", "other.json", "high", "low");

        Assert.That(config["greenlets"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(Strings(config["queues"]), Is.EqualTo(new[] { "high", "low" }));
        Assert.That(config["tasks"]!["samples.Fetch"]!["timeout"]!.GetValue<double>(), Is.EqualTo(12));
        Assert.That(config["tasks"]!["samples.Add"]!["max_retries"]!.GetValue<int>(), Is.EqualTo(9));
        Assert.That(config["config_file"]!.GetValue<string>(), Does.EndWith("other.json"));
    }

    [Test]
    public async Task Worker_MissingConfigFileOrBadJson_ExitsWith2()
    {
        var missing = await RunAsync("worker", "--config", "nope.json");
        await File.WriteAllTextAsync(PathOf("mrq.json"), "{ not json");
        var broken = await RunAsync("worker", "--print-config");

        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
        Assert.That(missing.Stderr, Does.Contain("nope.json").And.Contain("not found"));
        Assert.That(broken.ExitCode, Is.EqualTo(2), broken.ToString());
        Assert.That(broken.Stderr, Does.Contain("is not valid JSON"));
    }

    private async Task<JsonNode> PrintConfigAsync(IReadOnlyDictionary<string, string>? environment, params string[] flags)
    {
        var result = await RunAsync(environment ?? new Dictionary<string, string>(), ["worker", "--print-config", .. flags]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        return JsonNode.Parse(result.Stdout)!;
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];
}
