using System.Text.Json.Nodes;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.LiteDb.Control;

namespace Mrq.Cli.Control;

/// <summary>The job client of the process holding a LiteDB file, used through its control endpoint.</summary>
internal sealed class RemoteJobClient(ControlClient control) : IJobClient
{
    public async Task<JobId> QueueJobAsync(string path, JsonObject? parameters = null, string? queue = null, CancellationToken cancellationToken = default) =>
        await control.CallAsync<JobId>(ControlProtocol.QueueJob, new() { ["path"] = path, ["params"] = parameters?.DeepClone(), ["queue"] = queue }, cancellationToken).ConfigureAwait(false);

    public async Task<JobId> QueueJobAsync(string path, JsonObject? parameters, QueueJobOptions options, CancellationToken cancellationToken = default) =>
        await control.CallAsync<JobId>(ControlProtocol.QueueJobWithOptions, new() { ["path"] = path, ["params"] = parameters?.DeepClone(), ["options"] = ControlJson.ToNode(options) }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<JobId>> QueueJobsAsync(string path, IEnumerable<JsonObject> parametersList, string? queue = null, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parametersList);
        var arguments = new JsonObject
        {
            ["path"] = path,
            ["params"] = new JsonArray([.. parametersList.Select(p => p.DeepClone())]),
            ["queue"] = queue,
            ["batchSize"] = batchSize,
        };
        return (await control.CallAsync<List<JobId>>(ControlProtocol.QueueJobs, arguments, cancellationToken).ConfigureAwait(false))!;
    }

    public Task QueueRawJobsAsync(string queue, IEnumerable<string> members, int batchSize = 1000, CancellationToken cancellationToken = default) =>
        control.CallAsync(ControlProtocol.QueueRawJobs, new() { ["queue"] = queue, ["members"] = ControlJson.ToNode(members.ToList()), ["batchSize"] = batchSize }, cancellationToken);

    public Task QueueRawJobsAsync(string queue, IEnumerable<KeyValuePair<string, double>> scoredMembers, int batchSize = 1000, CancellationToken cancellationToken = default) =>
        control.CallAsync(ControlProtocol.QueueScoredRawJobs, new() { ["queue"] = queue, ["members"] = ControlJson.ToNode(scoredMembers.ToList()), ["batchSize"] = batchSize }, cancellationToken);

    public Task<JobResult?> GetJobResultAsync(JobId id, CancellationToken cancellationToken = default) =>
        control.CallAsync<JobResult>(ControlProtocol.JobResult, Id(id), cancellationToken);

    public Task<JobRecord?> GetJobAsync(JobId id, CancellationToken cancellationToken = default) =>
        control.CallAsync<JobRecord>(ControlProtocol.Job, Id(id), cancellationToken);

    public async Task<JobResult> WaitAsync(JobId id, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var arguments = Id(id);
        arguments["timeout"] = ControlJson.ToNode(timeout);
        return (await control.CallAsync<JobResult>(ControlProtocol.Wait, arguments, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<bool> CancelAsync(JobId id, CancellationToken cancellationToken = default) =>
        await control.CallAsync<bool>(ControlProtocol.Cancel, Id(id), cancellationToken).ConfigureAwait(false);

    public async Task<bool> RequeueAsync(JobId id, string? queue = null, CancellationToken cancellationToken = default)
    {
        var arguments = Id(id);
        arguments["queue"] = queue;
        return await control.CallAsync<bool>(ControlProtocol.Requeue, arguments, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CancelJobsAsync(JobFilter filter, CancellationToken cancellationToken = default) =>
        await control.CallAsync<long>(ControlProtocol.CancelJobs, new() { ["filter"] = ControlJson.ToNode(filter) }, cancellationToken).ConfigureAwait(false);

    public async Task<long> RequeueJobsAsync(JobFilter filter, string? destinationQueue = null, CancellationToken cancellationToken = default) =>
        await control.CallAsync<long>(ControlProtocol.RequeueJobs, new() { ["filter"] = ControlJson.ToNode(filter), ["destination"] = destinationQueue }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobFilter filter, int skip = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        (await control.CallAsync<List<JobRecord>>(ControlProtocol.ListJobs, new() { ["filter"] = ControlJson.ToNode(filter), ["skip"] = skip, ["limit"] = limit }, cancellationToken).ConfigureAwait(false))!;

    public async Task<string> GetJobLogsAsync(JobId id, CancellationToken cancellationToken = default) =>
        await control.CallAsync<string>(ControlProtocol.JobLogs, Id(id), cancellationToken).ConfigureAwait(false) ?? string.Empty;

    public async Task<long> GetQueueSizeAsync(string queue, CancellationToken cancellationToken = default) =>
        await control.CallAsync<long>(ControlProtocol.QueueSize, Queue(queue), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<QueueStatusCount>> GetQueueStatsAsync(CancellationToken cancellationToken = default) =>
        (await control.CallAsync<List<QueueStatusCount>>(ControlProtocol.QueueStats, [], cancellationToken).ConfigureAwait(false))!;

    public Task PauseQueueAsync(string queue, CancellationToken cancellationToken = default) =>
        control.CallAsync(ControlProtocol.Pause, Queue(queue), cancellationToken);

    public Task ResumeQueueAsync(string queue, CancellationToken cancellationToken = default) =>
        control.CallAsync(ControlProtocol.Resume, Queue(queue), cancellationToken);

    public async Task<bool> IsQueuePausedAsync(string queue, CancellationToken cancellationToken = default) =>
        await control.CallAsync<bool>(ControlProtocol.IsPaused, Queue(queue), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<RawQueueItem>> ListRawJobsAsync(string queue, int skip = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        var arguments = Queue(queue);
        arguments["skip"] = skip;
        arguments["limit"] = limit;
        return (await control.CallAsync<List<RawQueueItem>>(ControlProtocol.ListRawJobs, arguments, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<long> RemoveRawJobsAsync(string queue, IEnumerable<string> members, CancellationToken cancellationToken = default)
    {
        var arguments = Queue(queue);
        arguments["members"] = ControlJson.ToNode(members.ToList());
        return await control.CallAsync<long>(ControlProtocol.RemoveRawJobs, arguments, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Id(JobId id) => new() { ["id"] = id.ToString() };

    private static JsonObject Queue(string queue) => new() { ["queue"] = queue };
}
