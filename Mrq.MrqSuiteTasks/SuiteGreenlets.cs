using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.MrqSuiteTasks;

/// <summary>
/// The stand-in for MRQ's <c>_GLOBAL_CONTEXT["greenlets"]</c> (the job of every live greenlet of the worker): the
/// sub-pool items of <see cref="SubPool"/> register here while they run, so <see cref="ListJobsByGreenlets"/> sees
/// items still running after their job ended (a timed-out job must leave none behind).
/// </summary>
internal static class SuiteGreenlets
{
    private static readonly ConcurrentDictionary<object, string> s_running = new();

    /// <summary>Registers one running item of <paramref name="context"/>'s job until disposed.</summary>
    public static IDisposable Enter(JobContext context)
    {
        var entry = new Entry();
        s_running[entry] = context.JobId.ToString();
        return entry;
    }

    /// <summary>The job ids of the items running now.</summary>
    public static IEnumerable<string> JobIds => s_running.Values;

    private sealed class Entry : IDisposable
    {
        public void Dispose() => s_running.TryRemove(this, out _);
    }
}

/// <summary>MRQ's <c>tests.tasks.general.ListJobsByGreenlets</c>: this job's id and the job of every live "greenlet" (this one and running sub-pool items).</summary>
[MrqTask("tests.tasks.general.ListJobsByGreenlets")]
public sealed class ListJobsByGreenlets : MrqTask
{
    /// <inheritdoc/>
    public override ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var current = context.JobId.ToString();
        var ids = new JsonArray(JsonValue.Create(current));
        foreach (var id in SuiteGreenlets.JobIds)
        {
            ids.Add(id);
        }

        return ValueTask.FromResult<JsonNode?>(new JsonObject { ["current_job_id"] = current, ["job_ids"] = ids });
    }
}
