using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Tests.Acceptance.Tasks;

/// <summary>MRQ's tests.tasks.general.Add: a + b, after an optional sleep.</summary>
[MrqTask("tests.tasks.general.Add")]
internal sealed class Add : MrqTask<Add.Params, int>
{
    internal sealed record Params(int A, int B, double Sleep = 0);

    protected override async ValueTask<int> RunAsync(Params parameters, JobContext context)
    {
        if (parameters.Sleep > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(parameters.Sleep), context.CancellationToken);
        }

        context.Log.LogInformation("adding {A} and {B}", parameters.A, parameters.B);
        return parameters.A + parameters.B;
    }
}

/// <summary>Raises an exception with the given message (optionally while handling another).</summary>
[MrqTask("tests.tasks.general.RaiseException")]
internal sealed class RaiseException : MrqTask
{
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        var message = (string?)parameters["message"] ?? "error";
        if ((bool?)parameters["nested"] == true)
        {
            try
            {
                throw new InvalidOperationException("original " + message);
            }
            catch (InvalidOperationException inner)
            {
                throw new InvalidDataException(message, inner);
            }
        }

        throw new InvalidDataException(message);
    }
}

/// <summary>Asks to be retried with the given delay / max_retries / queue.</summary>
[MrqTask("tests.tasks.general.Retry")]
internal sealed class Retry : MrqTask
{
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        TimeSpan? delay = Json.Number(parameters["delay"]) is { } d ? TimeSpan.FromSeconds(d) : null;
        int? maxRetries = parameters["max_retries"] is { } m ? (int)m : null;
        var swallow = (bool?)parameters["swallow"] == true;
        try
        {
            if ((bool?)parameters["in_catch"] == true)
            {
                // MRQ's RetryOnFailed: the retry is asked for while handling another exception.
                try
                {
                    throw new InvalidDataException("handled before retry");
                }
                catch (InvalidDataException)
                {
                    context.RetryCurrentJob(delay, maxRetries, (string?)parameters["queue"]);
                }
            }

            context.RetryCurrentJob(delay, maxRetries, (string?)parameters["queue"]);
        }
        catch (RetryInterrupt) when (swallow)
        {
            // A task that swallows the interrupt still gets retried.
        }

        return ValueTask.FromResult<JsonNode?>("not retried");
    }
}

/// <summary>Aborts itself.</summary>
[MrqTask("tests.tasks.general.Abort")]
internal sealed class Abort : MrqTask
{
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        if ((bool?)parameters["in_catch"] == true)
        {
            // MRQ's AbortOnFailed: the abort is asked for while handling another exception.
            try
            {
                throw new InvalidDataException("handled before abort");
            }
            catch (InvalidDataException)
            {
                context.AbortCurrentJob();
            }
        }

        context.AbortCurrentJob();
        return ValueTask.FromResult<JsonNode?>(null);
    }
}

/// <summary>Waits on a gate (signalling it started), then returns its params' <c>value</c>; records run order in <c>log</c>.</summary>
[MrqTask("tests.tasks.general.Gated")]
internal sealed class Gated : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        if ((string?)parameters["log"] is { } log)
        {
            TestGates.Record(log, parameters["value"]?.ToJsonString() ?? "null");
        }

        if ((string?)parameters["started"] is { } started)
        {
            TestGates.Open(started);
        }

        if ((string?)parameters["gate"] is { } gate)
        {
            await TestGates.Gate(gate).WaitAsync(context.CancellationToken);
        }

        return parameters["value"]?.DeepClone();
    }
}

/// <summary>Sleeps, ignoring its cancellation token unless told to honour it.</summary>
[MrqTask("tests.tasks.general.Sleep")]
internal sealed class Sleep : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        var seconds = Json.Number(parameters["seconds"]) ?? 1;
        if ((string?)parameters["started"] is { } started)
        {
            TestGates.Open(started);
        }

        if ((bool?)parameters["ignore_cancel"] == true)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            }
            catch (Exception)
            {
                // A broad catch must not keep the job from timing out.
            }
        }
        else
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), context.CancellationToken);
        }

        return seconds;
    }
}

/// <summary>Sets progress, waits on a gate, finishes.</summary>
[MrqTask("tests.tasks.general.Progress")]
internal sealed class Progress : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        await context.SetProgressAsync(Json.Number(parameters["ratio"]) ?? 0.5, save: (bool?)parameters["save"] == true);
        TestGates.Open((string)parameters["started"]!);
        await TestGates.Gate((string)parameters["gate"]!).WaitAsync(context.CancellationToken);
        return "done";
    }
}

/// <summary>max_concurrency 1: waits on a gate while holding the task lock.</summary>
[MrqTask("tests.tasks.general.LockedGated", MaxConcurrency = 1)]
internal sealed class LockedGated : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        if ((string?)parameters["started"] is { } started)
        {
            TestGates.Open(started);
        }

        if ((string?)parameters["gate"] is { } gate)
        {
            await TestGates.Gate(gate).WaitAsync(context.CancellationToken);
        }

        return "locked";
    }
}

/// <summary>Runs Add over a list in a sub-pool, checking each sub-task sees the current job.</summary>
[MrqTask("tests.tasks.general.SubPool")]
internal sealed class SubPool : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        var items = parameters["items"]!.AsArray().Select(n => (int)n!).ToArray();
        var sleep = Json.Number(parameters["sleep"]) ?? 0;
        var results = await context.SubpoolMapAsync((int?)parameters["pool_size"] ?? 2, async item =>
        {
            if (MrqContext.GetCurrentJob()?.Id != context.JobId)
            {
                throw new InvalidOperationException("sub-pool lost the current job");
            }

            if (sleep > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(sleep), context.CancellationToken);
            }

            var sum = await MrqContext.RunTaskAsync("tests.tasks.general.Add", new JsonObject { ["a"] = item, ["b"] = item });
            return (int)sum!;
        }, items);
        return new JsonArray(results.Select(r => (JsonNode?)r).ToArray());
    }
}

/// <summary>Calls the rate limit n times and returns what each call gave.</summary>
[MrqTask("tests.tasks.general.RateLimit")]
internal sealed class RateLimit : MrqTask
{
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        var results = new JsonArray();
        for (var i = 0; i < (int)parameters["calls"]!; i++)
        {
            results.Add(await Helpers.RateLimitAsync((string)parameters["key"]!, (int)parameters["limit"]!, (int?)parameters["per"] ?? 1));
        }

        return results;
    }
}
