using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;
using Mrq.Tests.Acceptance.Tasks;

namespace Mrq.Tests.Faults;

/// <summary>Times out after 1 s and honours its token; its finally block takes a moment and records that it ran.</summary>
[MrqTask("tests.faults.CooperativeTimeout", Timeout = 1)]
internal sealed class CooperativeTimeout : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return null;
        }
        finally
        {
            await Task.Delay(200, CancellationToken.None);
            TestGates.Record((string)parameters["log"]!, "finally");
        }
    }
}

/// <summary>Times out after 1 s but ignores its token: it runs until its gate opens.</summary>
[MrqTask("tests.faults.StubbornTimeout", Timeout = 1)]
internal sealed class StubbornTimeout : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        if ((string?)parameters["gate"] is { } gate)
        {
            await TestGates.Gate(gate).WaitAsync(CancellationToken.None);
        }

        return "done";
    }
}

/// <summary>The same with max_concurrency 1: its lock must stay held while its abandoned code runs.</summary>
[MrqTask("tests.faults.StubbornLocked", Timeout = 1, MaxConcurrency = 1)]
internal sealed class StubbornLocked : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        if ((string?)parameters["gate"] is { } gate)
        {
            await TestGates.Gate(gate).WaitAsync(CancellationToken.None);
        }

        return "done";
    }
}
