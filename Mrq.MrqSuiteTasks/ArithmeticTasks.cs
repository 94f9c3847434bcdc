using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.MrqSuiteTasks;

/// <summary>MRQ's <c>tests.tasks.general.Add</c>: logs <c>adding</c>, sleeps <c>sleep</c> seconds, returns <c>a + b</c>.</summary>
[MrqTask("tests.tasks.general.Add")]
public sealed class Add : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) => AddAsync(parameters, context);

    /// <summary>The shared body of Add and its subclasses.</summary>
    internal static async ValueTask<JsonNode?> AddAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        context.Log.LogInformation("adding");
        var result = SuiteParams.Number(parameters, "a") + SuiteParams.Number(parameters, "b");
        var sleep = SuiteParams.Number(parameters, "sleep");
        if (sleep > 0)
        {
            context.Log.LogInformation("sleeping {Sleep}", sleep);
            await SuiteParams.SleepAsync(sleep, context).ConfigureAwait(false);
        }

        return SuiteParams.Json(result);
    }
}

/// <summary>MRQ's <c>tests.tasks.general.TimeoutFromConfig</c>: Add, with its timeout set by the config file.</summary>
[MrqTask("tests.tasks.general.TimeoutFromConfig")]
public sealed class TimeoutFromConfig : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) => Add.AddAsync(parameters, context);
}

/// <summary>MRQ's <c>tests.tasks.concurrency.LockedAdd</c>: Add with <c>max_concurrency = 1</c>.</summary>
[MrqTask("tests.tasks.concurrency.LockedAdd", MaxConcurrency = 1)]
public sealed class LockedAdd : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) => Add.AddAsync(parameters, context);
}

/// <summary>MRQ's <c>tests.tasks.general.Square</c>: <c>n ** 2</c>.</summary>
[MrqTask("tests.tasks.general.Square")]
public sealed class Square : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var n = (long)SuiteParams.Number(parameters, "n");
        return ValueTask.FromResult<JsonNode?>(n * n);
    }
}

/// <summary>MRQ's <c>tests.tasks.general.ReturnParams</c>: sleeps <c>sleep</c> seconds, returns its params.</summary>
[MrqTask("tests.tasks.general.ReturnParams")]
public sealed class ReturnParams : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await SuiteParams.SleepAsync(SuiteParams.Number(parameters, "sleep"), context).ConfigureAwait(false);
        return parameters.DeepClone();
    }
}

/// <summary>MRQ's <c>tests.tasks.general.GetTime</c>: Python's <c>time.time()</c>.</summary>
[MrqTask("tests.tasks.general.GetTime")]
public sealed class GetTime : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) =>
        ValueTask.FromResult<JsonNode?>(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
}

/// <summary>MRQ's <c>tests.tasks.general.Wait</c>: sleeps 2 seconds, returns null.</summary>
[MrqTask("tests.tasks.general.Wait")]
public sealed class Wait : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        await SuiteParams.SleepAsync(2, context).ConfigureAwait(false);
        return null;
    }
}
