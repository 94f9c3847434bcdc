using System.Text.Json.Nodes;
using Mrq.Jobs;

namespace Mrq.Benchmarks.Micro;

/// <summary>Sample params and jobs shared by the micro-suites.</summary>
internal static class MicroJobs
{
    /// <summary>Params of a typical job: a URL, an id, a list and a nested object.</summary>
    public static JsonObject Params(int i) => new()
    {
        ["url"] = "https://example.com/items/" + i,
        ["id"] = i,
        ["tags"] = new JsonArray("a", "b", "c"),
        ["options"] = new JsonObject { ["retry"] = true, ["ratio"] = 0.25, ["label"] = "x" },
    };

    public static JobRecord Job(int i, string queue = "bench") =>
        JobRecord.NewQueued("bench.noop", Params(i), queue, DateTime.UtcNow);
}
