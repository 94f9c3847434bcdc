using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Monitoring;
using Mrq.Storage;
using Mrq.Storage.LiteDb.Control;

namespace Mrq.Cli.Control;

/// <summary>The monitor of the process holding a LiteDB file, read through its control endpoint.</summary>
internal sealed class RemoteMrqMonitor(ControlClient control) : IMrqMonitor
{
    public int ScanLimit => control.Hello.ScanLimit;

    public TimeSpan StaleAfter => control.Hello.StaleAfter;

    public async Task<MonitorOverview> GetOverviewAsync(CancellationToken cancellationToken = default) =>
        (await control.CallAsync<MonitorOverview>(ControlProtocol.Overview, [], cancellationToken).ConfigureAwait(false))!;

    public async Task<JobPage> SearchJobsAsync(JobSearch search, int skip, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var arguments = new JsonObject { ["search"] = ControlJson.ToNode(search), ["skip"] = skip, ["limit"] = limit };
        return (await control.CallAsync<JobPage>(ControlProtocol.SearchJobs, arguments, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<(IReadOnlyList<JobId> Ids, bool Truncated)> FindJobIdsAsync(JobSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var found = await control.CallAsync<FoundJobIds>(ControlProtocol.FindJobIds, new() { ["search"] = ControlJson.ToNode(search) }, cancellationToken).ConfigureAwait(false);
        return (found!.Ids, found.Truncated);
    }

    public Task<JobDetails?> GetJobAsync(JobId id, CancellationToken cancellationToken = default) =>
        control.CallAsync<JobDetails>(ControlProtocol.JobDetails, new() { ["id"] = id.ToString() }, cancellationToken);

    public async Task<IReadOnlyList<WorkerStatus>> GetWorkersAsync(CancellationToken cancellationToken = default) =>
        (await control.CallAsync<List<WorkerStatus>>(ControlProtocol.Workers, [], cancellationToken).ConfigureAwait(false))!;

    public async Task<IReadOnlyList<RawQueueItem>> PeekRawQueueAsync(string queue, int limit, CancellationToken cancellationToken = default) =>
        (await control.CallAsync<List<RawQueueItem>>(ControlProtocol.PeekRawQueue, new() { ["queue"] = queue, ["limit"] = limit }, cancellationToken).ConfigureAwait(false))!;

    public async Task<TaskStatsReport> GetTaskStatsAsync(CancellationToken cancellationToken = default) =>
        (await control.CallAsync<TaskStatsReport>(ControlProtocol.TaskStats, [], cancellationToken).ConfigureAwait(false))!;
}
