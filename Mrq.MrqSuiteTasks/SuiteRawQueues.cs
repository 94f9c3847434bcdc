using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Jobs;

namespace Mrq.MrqSuiteTasks;

/// <summary>
/// The C# translation of MRQ's <c>tests/fixtures/config-raw1.py</c>, whose <c>RAW_QUEUES</c> job factories are
/// lambdas (no code of a config file is run). <c>tools/mrq-suite/worker.sh</c> replaces that file's
/// <c>--config</c> flag by <c>MRQ_SUITE_FIXTURE=config-raw1</c>, and only then are these raw queues declared, as MRQ
/// declares them only for workers started with that file. <c>dashboard_graph</c> (a dashboard display hint) is left out.
/// </summary>
public static class SuiteRawQueues
{
    /// <summary>The environment variable naming the translated fixture.</summary>
    public const string FixtureVariable = "MRQ_SUITE_FIXTURE";

    /// <summary>The fixture translated here.</summary>
    public const string Fixture = "config-raw1";

    private const string MongoInsert = "tests.tasks.general.MongoInsert";
    private const string Add = "tests.tasks.general.Add";

    /// <summary>Declares config-raw1.py's raw queues when <see cref="FixtureVariable"/> names it.</summary>
    public static void ConfigureMrq(IMrqBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Environment.GetEnvironmentVariable(FixtureVariable) != Fixture)
        {
            return;
        }

        builder.AddRawQueue("pushback_timed_set", m => Insert("timed_set", m), o => o.PushbackSeconds = 24 * 3600);
        builder.AddRawQueue("test_timed_set", m => Insert("timed_set", m));
        builder.AddRawQueue("test_raw", m => Insert("raw", m));
        builder.AddRawQueue("test_set", m => Insert("set", m));
        builder.AddRawQueue("test_sorted_set", m => Insert("sorted_set", m));
        builder.AddRawQueue("testexception_raw", m => new RawJob("tests.tasks.general.RaiseException", new JsonObject { ["message"] = m }), o => o.RetryQueue = "testx");
        builder.AddRawQueue("testretry_raw", m => new RawJob("tests.tasks.general.Retry", new JsonObject { ["sleep"] = Int(m), ["delay"] = 0 }), o => o.RetryQueue = "testx");
        foreach (var queue in new[] { "testperformance_raw", "testperformance_set", "testperformance_timed_set", "testperformance_sorted_set" })
        {
            builder.AddRawQueue(queue, m => new RawJob(Add, new JsonObject { ["a"] = Int(m), ["b"] = 0, ["sleep"] = 0 }));
        }

        builder.AddRawQueue("testperformance_efficiency_raw", Efficiency);
        builder.AddRawQueue("testperformance_efficiency_nostorage_raw", Efficiency, NoStorage);
        builder.AddRawQueue("teststarted_raw", m => new RawJob("tests.tasks.general.WaitForFlag", new JsonObject { ["flag"] = m }), o => o.RetryQueue = "teststartedx");
        builder.AddRawQueue("testnostorage_raw", NoStorageJob, o =>
        {
            o.RetryQueue = "testnostorage";
            NoStorage(o);
        });
    }

    private static RawJob Insert(string key, string member) => new(MongoInsert, new JsonObject { [key] = member });

    private static RawJob Efficiency(string member) =>
        new(Add, new JsonObject { ["a"] = 1, ["b"] = 2, ["sleep"] = Float(member) });

    // rawparam.split(" ")[0] is the path, [1] the sleep.
    private static RawJob NoStorageJob(string member)
    {
        var parts = member.Split(' ');
        return new RawJob(parts[0], new JsonObject { ["sleep"] = Float(parts[1]) });
    }

    private static void NoStorage(RawQueueOptions options) => options.StatusesNoStorage = [JobStatus.Started, JobStatus.Success];

    private static long Int(string member) => long.Parse(member.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double Float(string member) => double.Parse(member.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
