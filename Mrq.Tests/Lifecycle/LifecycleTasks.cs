using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Tests.Lifecycle;

/// <summary>Throws <see cref="TimeoutException"/> until it has run <c>succeed_after</c> times (counted per <c>key</c>).</summary>
[MrqTask("tests.lifecycle.Flaky", MaxRetries = 2, RetryDelay = 10, RetryOn = [typeof(TimeoutException)], RetryBackoff = 3, RetryMaxDelay = 25, RetryJitter = 0)]
internal sealed class Flaky : MrqTask
{
    private static readonly ConcurrentDictionary<string, int> s_runs = new();

    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        var runs = s_runs.AddOrUpdate((string)parameters["key"]!, 1, (_, n) => n + 1);
        if ((string?)parameters["throw"] == "other")
        {
            throw new InvalidOperationException("not a retried exception");
        }

        return runs < (int)parameters["succeed_after"]!
            ? throw new TimeoutException($"attempt {runs} timed out")
            : ValueTask.FromResult<JsonNode?>(runs);
    }
}

/// <summary>A task with a unique rule: one job per <c>user</c> at a time, whatever its other params.</summary>
[MrqTask("tests.lifecycle.PerUser", UniqueParams = ["user"])]
internal sealed class PerUser : MrqTask
{
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) =>
        ValueTask.FromResult(parameters["user"]?.DeepClone());
}
