using System.Globalization;
using System.Text.Json.Nodes;
using Mrq.Context;
using Mrq.Maintenance;
using Mrq.Tasks;

namespace Mrq.BaseTasks;

/// <summary>
/// MRQ's <c>mrq.basetasks.cleaning.RequeueStartedJobs</c>: requeues <c>started</c> jobs whose worker is gone, or that
/// started more than their task's timeout + <c>timeout</c> (default 300) seconds ago; returns <c>{requeued, started}</c>.
/// </summary>
[MrqTask(Path, MaxConcurrency = 1)]
internal sealed class RequeueStartedJobs : MrqTask
{
    public const string Path = "mrq.basetasks.cleaning.RequeueStartedJobs";

    private readonly IMrqMaintenance _maintenance;

    public RequeueStartedJobs(IMrqMaintenance maintenance)
    {
        _maintenance = maintenance;
    }

    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context)
    {
        var grace = parameters["timeout"] is JsonValue value
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : 300;
        var result = await _maintenance.RequeueStartedJobsAsync(TimeSpan.FromSeconds(grace), context.CancellationToken).ConfigureAwait(false);
        return new JsonObject { ["requeued"] = result.Requeued, ["started"] = result.Started };
    }
}

/// <summary>MRQ's <c>mrq.basetasks.cleaning.RequeueInterruptedJobs</c>: <c>interrupt</c> jobs back to <c>queued</c>; returns <c>{requeued, cancelled}</c>.</summary>
[MrqTask("mrq.basetasks.cleaning.RequeueInterruptedJobs", MaxConcurrency = 1)]
internal sealed class RequeueInterruptedJobs : MrqTask
{
    private readonly IMrqMaintenance _maintenance;

    public RequeueInterruptedJobs(IMrqMaintenance maintenance)
    {
        _maintenance = maintenance;
    }

    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) =>
        JobActionTask.Stats(await _maintenance.RequeueInterruptedJobsAsync(context.CancellationToken).ConfigureAwait(false), 0);
}

/// <summary>MRQ's <c>mrq.basetasks.cleaning.RequeueRetryJobs</c>: <c>retry</c> jobs past their dateretry back to <c>queued</c>; returns <c>{requeued, cancelled}</c>.</summary>
[MrqTask("mrq.basetasks.cleaning.RequeueRetryJobs", MaxConcurrency = 1)]
internal sealed class RequeueRetryJobs : MrqTask
{
    private readonly IMrqMaintenance _maintenance;

    public RequeueRetryJobs(IMrqMaintenance maintenance)
    {
        _maintenance = maintenance;
    }

    public override async ValueTask<JsonNode?> RunAsync(JsonObject parameters, JobContext context) =>
        JobActionTask.Stats(await _maintenance.RequeueRetryJobsAsync(context.CancellationToken).ConfigureAwait(false), 0);
}
