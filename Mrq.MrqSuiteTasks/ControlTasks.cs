using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using Mrq;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.MrqSuiteTasks;

// MRQ's tests assert exceptiontype "Exception" for a plain Python Exception: these ports throw System.Exception.
#pragma warning disable CA2201

/// <summary>MRQ's <c>tests.tasks.general.Retry</c>: inserts its params into <c>tests_inserts</c>, then retries.</summary>
[MrqTask("tests.tasks.general.Retry")]
public sealed class Retry : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        context.Log.LogInformation("Retrying in {Delay} on {Queue}", parameters["delay"], parameters["queue"]);
        await Inserts.AddAsync(context, BsonDocument.Parse(parameters.ToJsonString())).ConfigureAwait(false);
        RetryFrom(parameters, context);
        throw new Exception("Should not be reached");
    }

    /// <summary>MRQ's <c>retry_current_job(queue, delay, max_retries)</c> from the params.</summary>
    internal static void RetryFrom(JsonObject parameters, JobContext context)
    {
        var delay = SuiteParams.OptionalNumber(parameters, "delay");
        var maxRetries = SuiteParams.OptionalNumber(parameters, "max_retries");
        context.RetryCurrentJob(
            delay is null ? null : TimeSpan.FromSeconds(delay.Value),
            maxRetries is null ? null : (int)maxRetries.Value,
            parameters["queue"] is JsonValue queue ? queue.GetValue<string>() : null);
    }
}

/// <summary>MRQ's <c>tests.tasks.general.RetryOnFailed</c>: as Retry, with the retry called while handling an exception.</summary>
[MrqTask("tests.tasks.general.RetryOnFailed")]
public sealed class RetryOnFailed : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        context.Log.LogInformation("Retrying in {Delay} on {Queue}", parameters["delay"], parameters["queue"]);
        await Inserts.AddAsync(context, BsonDocument.Parse(parameters.ToJsonString())).ConfigureAwait(false);
        try
        {
            throw new InRetryException();
        }
        catch (InRetryException)
        {
            Retry.RetryFrom(parameters, context);
        }

        throw new Exception("Should not be reached");
    }
}

/// <summary>MRQ's <c>tests.tasks.general.RetrySimple</c>: inserts its params, then retries with the task's defaults.</summary>
[MrqTask("tests.tasks.general.RetrySimple")]
public sealed class RetrySimple : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        await Inserts.AddAsync(context, BsonDocument.Parse(parameters.ToJsonString())).ConfigureAwait(false);
        context.RetryCurrentJob();
        throw new Exception("Should not be reached");
    }
}

/// <summary>MRQ's <c>tests.tasks.general.RaiseException</c>: sleeps <c>sleep</c> seconds, raises <c>Exception(message)</c>.</summary>
[MrqTask("tests.tasks.general.RaiseException")]
public sealed class RaiseException : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await SuiteParams.SleepAsync(SuiteParams.Number(parameters, "sleep"), context).ConfigureAwait(false);
        // The traceback shows this line as MRQ's shows its task's `raise Exception(params.get("message", ""))`.
        throw new Exception(parameters["message"] is JsonValue message ? message.ToString() : string.Empty); // raise
    }
}

/// <summary>MRQ's <c>tests.tasks.general.Abort</c>.</summary>
[MrqTask("tests.tasks.general.Abort")]
public sealed class Abort : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AbortCurrentJob();
        return ValueTask.FromResult<JsonNode?>(null);
    }
}

/// <summary>MRQ's <c>tests.tasks.general.AbortOnFailed</c>: inserts its params, aborts while handling an exception.</summary>
[MrqTask("tests.tasks.general.AbortOnFailed")]
public sealed class AbortOnFailed : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        context.Log.LogInformation("Will abort this task");
        await Inserts.AddAsync(context, BsonDocument.Parse(parameters.ToJsonString())).ConfigureAwait(false);
        try
        {
            throw new InAbortException();
        }
        catch (InAbortException)
        {
            context.AbortCurrentJob();
        }

        throw new Exception("Should not be reached");
    }
}

/// <summary>MRQ's <c>tests.tasks.general.Progress</c>: progress 0.01 … 0.99, one step every 0.1 s.</summary>
[MrqTask("tests.tasks.general.Progress")]
public sealed class Progress : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var save = parameters["save"] is JsonValue value && value.GetValue<bool>();
        for (var i = 1; i < 100; i++)
        {
            await context.SetProgressAsync(0.01 * i, save).ConfigureAwait(false);
            await SuiteParams.SleepAsync(0.1, context).ConfigureAwait(false);
        }

        return null;
    }
}

/// <summary>MRQ's <c>tests.tasks.general.SubPool</c>: <c>subpool_map(pool_size, inner, inner_params)</c>; inner sleeps x, or raises for <c>"exception"</c>.</summary>
[MrqTask("tests.tasks.general.SubPool")]
public sealed class SubPool : MrqTask
{
    /// <inheritdoc/>
    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var items = parameters["inner_params"]?.AsArray().Select(n => n?.DeepClone()).ToList() ?? [];
        var results = await context.SubpoolMapAsync((int)SuiteParams.Number(parameters, "pool_size"), async (JsonNode? item) =>
        {
            using var greenlet = SuiteGreenlets.Enter(context);
            if (MrqContext.GetCurrentJob()?.Id != context.JobId)
            {
                throw new InvalidOperationException("get_current_job() in a subpool is not the job that started it.");
            }

            if (item is JsonValue text && text.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                var value = text.GetValue<string>();
                if (value == "import-large-file")
                {
                    // MRQ's test of gevent's import lock (a large module imported in greenlets): nothing to import here.
                    return true;
                }

                throw new Exception(value); // __INNER_EXCEPTION_LINE__
            }

            var seconds = item is null ? 0 : double.Parse(item.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
            await SuiteParams.SleepAsync(seconds, context).ConfigureAwait(false);
            return item?.DeepClone();
        }, items).ConfigureAwait(false);
        return new JsonArray([.. results]);
    }
}

/// <summary>Python's <c>InRetryException</c> of MRQ's test tasks.</summary>
internal sealed class InRetryException : Exception
{
}

/// <summary>Python's <c>InAbortException</c> of MRQ's test tasks.</summary>
internal sealed class InAbortException : Exception
{
}
