using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Context;
using Mrq.DependencyInjection;
using Mrq.Tasks;
using StackExchange.Redis;

namespace Mrq.MrqSuiteTasks;

/// <summary>
/// The C# translation of MRQ's <c>tests/fixtures/config-metric.py</c>, whose <c>METRIC_HOOK</c> is a function (no
/// code of a config file is run): every metric of the worker process is added up by name, as the fixture's
/// <c>TEST_GLOBAL_METRICS</c> does. <c>tools/mrq-suite/worker.sh</c> replaces that file's <c>--config</c> flag by
/// <c>MRQ_SUITE_FIXTURE=config-metric</c>, and only then is the hook registered.
/// </summary>
public static class SuiteMetrics
{
    /// <summary>The fixture translated here.</summary>
    public const string Fixture = "config-metric";

    private static readonly ConcurrentDictionary<string, double> s_metrics = new(StringComparer.Ordinal);

    /// <summary>Registers the hook when <see cref="SuiteRawQueues.FixtureVariable"/> names config-metric.</summary>
    public static void ConfigureMrq(IMrqBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Environment.GetEnvironmentVariable(SuiteRawQueues.FixtureVariable) == Fixture)
        {
            builder.OnMetric((name, increment) => s_metrics.AddOrUpdate(name, increment, (_, total) => total + increment));
        }
    }

    /// <summary>The totals so far, as the fixture's dict (null when no hook is registered: MRQ's <c>get()</c> of a missing key).</summary>
    internal static JsonNode? Totals() =>
        Environment.GetEnvironmentVariable(SuiteRawQueues.FixtureVariable) != Fixture
            ? null
            : new JsonObject(s_metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)SuiteParams.Json(m.Value))));
}

/// <summary>MRQ's <c>tests.tasks.general.GetMetrics</c>: the metrics added up by config-metric's hook, as a JSON string.</summary>
[MrqTask("tests.tasks.general.GetMetrics")]
public sealed class GetMetrics : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) =>
        ValueTask.FromResult<JsonNode?>(SuiteMetrics.Totals()?.ToJsonString() ?? "null");
}

/// <summary>MRQ's <c>tests.tasks.redis.MultiRedis</c>: writes through <c>redis</c> and <c>redis_second</c> (config-multiredis.py's database 1) and reads both back.</summary>
[MrqTask("tests.tasks.redis.MultiRedis")]
public sealed class MultiRedis : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var first = context.Connections.Get<IConnectionMultiplexer>("redis").GetDatabase();
        var second = context.Connections.Get<IConnectionMultiplexer>("redis_second").GetDatabase();
        await first.StringSetAsync("test", "xxx").ConfigureAwait(false);
        await second.StringSetAsync("test", "yyy").ConfigureAwait(false);
        if ((string?)await first.StringGetAsync("test").ConfigureAwait(false) != "xxx" || (string?)await second.StringGetAsync("test").ConfigureAwait(false) != "yyy")
        {
            throw new InvalidOperationException("redis and redis_second are not separate databases.");
        }

        return "ok";
    }
}
