using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Configuration;
using Mrq.DependencyInjection;

namespace Mrq.Tests.WorkerTasks;

/// <summary>
/// The raw queue of the distributed tests, registered in <c>mrq worker --tasks</c> processes through the
/// <c>ConfigureMrq</c> hook: its members are JSON objects, which become the params of <see cref="RecordTask"/>.
/// </summary>
public static class DistributedTestQueues
{
    /// <summary>The raw queue (a Redis list, <c>&lt;prefix&gt;:q:disttest_raw</c>).</summary>
    public const string RawQueue = "disttest_raw";

    /// <summary>The regular queue the jobs made from raw members belong to (<c>retry_queue</c>).</summary>
    public const string RawJobsQueue = "disttest_rawjobs";

    /// <summary>Called by <c>mrq</c> for a task assembly: declares <see cref="RawQueue"/> and its job factory.</summary>
    public static void ConfigureMrq(IMrqBuilder builder) =>
        builder.AddRawQueue(RawQueue, ToJob, o => o.RetryQueue = RawJobsQueue);

    /// <summary>The job factory: a member is the JSON object of <see cref="RecordTask"/>'s params.</summary>
    public static RawJob ToJob(string member) =>
        new(RecordTask.Path, JsonNode.Parse(member)?.AsObject() ?? throw new FormatException("A raw member must be a JSON object."));
}
