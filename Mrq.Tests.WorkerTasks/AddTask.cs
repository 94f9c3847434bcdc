using System.Globalization;
using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Tests.WorkerTasks;

/// <summary><c>tests.tasks.general.Add</c>, as in MRQ's own test tasks: returns <c>params.a + params.b</c> (integers).</summary>
[MrqTask(Path)]
public sealed class AddTask : MrqTask
{
    /// <summary>The task path, MRQ's dotted Python path.</summary>
    public const string Path = "tests.tasks.general.Add";

    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueTask.FromResult<JsonNode?>(Integer(parameters["a"]) + Integer(parameters["b"]));
    }

    /// <summary>An integer param, whatever numeric representation the storage handed over (missing: 0).</summary>
    internal static long Integer(JsonNode? node) =>
        node is null ? 0 : long.Parse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
