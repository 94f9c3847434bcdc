using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.DependencyInjection;

/// <summary>A task given as a function.</summary>
internal sealed class DelegateTask : MrqTask
{
    private readonly Func<JsonObject, JobContext, ValueTask<JsonNode?>> _run;

    public DelegateTask(Func<JsonObject, JobContext, ValueTask<JsonNode?>> run)
    {
        _run = run;
    }

    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) => _run(parameters, context);
}
