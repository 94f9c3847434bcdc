using System.Text.Json.Nodes;
using Mrq.Context;

namespace Mrq.Tasks;

/// <summary>
/// A task: a unit of processing run by a job. Subclass it and implement <see cref="RunAsync"/>; register it with
/// <c>AddTask&lt;T&gt;()</c> or <c>AddTasksFrom(assembly)</c>. Instances are created through dependency injection,
/// one per execution, in a service scope that lives as long as the execution.
/// </summary>
public abstract class MrqTask
{
    /// <summary>Runs the task. The return value is stored as the job's <c>result</c>.</summary>
    /// <param name="parameters">The job's params (always a JSON object).</param>
    /// <param name="context">The running job's context: cancellation, retry/abort, progress, log, sub-pools.</param>
    public abstract ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context);
}
