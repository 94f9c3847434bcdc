using System.Text.Json.Nodes;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Monitoring;

namespace Mrq.Storage.LiteDb.Control;

/// <summary>
/// What the control endpoint runs: each operation of <see cref="ControlProtocol"/> as a call on the holder's
/// <see cref="IMrqMonitor"/> or <see cref="IJobClient"/> (the same code paths as in the holder, never a second one).
/// </summary>
internal static class ControlOperations
{
    /// <summary>An operation: its arguments in, its answer out.</summary>
    public delegate Task<object?> Operation(JsonObject arguments, CancellationToken cancellationToken);

    /// <summary>
    /// The operations on a monitor and client resolved on first use (so a holder whose services are not built yet,
    /// or are misconfigured, still opens its file; the error goes to the caller).
    /// </summary>
    public static Dictionary<string, Operation> For(ControlSocket socket, Func<IMrqMonitor> monitorFactory, Func<IJobClient> clientFactory)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var lazyMonitor = new Lazy<IMrqMonitor>(monitorFactory);
        var lazyClient = new Lazy<IJobClient>(clientFactory);
        IMrqMonitor Monitor() => lazyMonitor.Value;
        IJobClient Client() => lazyClient.Value;
        static T A<T>(JsonObject a, string name) => ControlJson.Arg<T>(a, name);
        static T? Optional<T>(JsonObject a, string name) => ControlJson.Arg<T?>(a, name, required: false);
        static async Task<object?> Boxed<T>(Task<T> task) => await task.ConfigureAwait(false);
        static async Task<object?> Done(Task task)
        {
            await task.ConfigureAwait(false);
            return null;
        }

        return new(StringComparer.Ordinal)
        {
            [ControlProtocol.Hello] = (_, _) => Task.FromResult<object?>(new ControlHello(Environment.ProcessId, socket.LiteDbPath, Monitor().ScanLimit, Monitor().StaleAfter)),
            [ControlProtocol.Overview] = (_, ct) => Boxed(Monitor().GetOverviewAsync(ct)),
            [ControlProtocol.SearchJobs] = (a, ct) => Boxed(Monitor().SearchJobsAsync(A<JobSearch>(a, "search"), A<int>(a, "skip"), A<int>(a, "limit"), ct)),
            [ControlProtocol.FindJobIds] = async (a, ct) =>
            {
                var (ids, truncated) = await Monitor().FindJobIdsAsync(A<JobSearch>(a, "search"), ct).ConfigureAwait(false);
                return new FoundJobIds(ids, truncated);
            },
            [ControlProtocol.JobDetails] = (a, ct) => Boxed(Monitor().GetJobAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Workers] = (_, ct) => Boxed(Monitor().GetWorkersAsync(ct)),
            [ControlProtocol.PeekRawQueue] = (a, ct) => Boxed(Monitor().PeekRawQueueAsync(A<string>(a, "queue"), A<int>(a, "limit"), ct)),
            [ControlProtocol.TaskStats] = (_, ct) => Boxed(Monitor().GetTaskStatsAsync(ct)),
            [ControlProtocol.QueueJob] = (a, ct) => Boxed(Client().QueueJobAsync(A<string>(a, "path"), Optional<JsonObject>(a, "params"), Optional<string>(a, "queue"), ct)),
            [ControlProtocol.QueueJobWithOptions] = (a, ct) => Boxed(Client().QueueJobAsync(A<string>(a, "path"), Optional<JsonObject>(a, "params"), A<QueueJobOptions>(a, "options"), ct)),
            [ControlProtocol.QueueJobs] = (a, ct) => Boxed(Client().QueueJobsAsync(A<string>(a, "path"), A<List<JsonObject>>(a, "params"), Optional<string>(a, "queue"), A<int>(a, "batchSize"), ct)),
            [ControlProtocol.QueueRawJobs] = (a, ct) => Done(Client().QueueRawJobsAsync(A<string>(a, "queue"), A<List<string>>(a, "members"), A<int>(a, "batchSize"), ct)),
            [ControlProtocol.QueueScoredRawJobs] = (a, ct) => Done(Client().QueueRawJobsAsync(A<string>(a, "queue"), A<List<KeyValuePair<string, double>>>(a, "members"), A<int>(a, "batchSize"), ct)),
            [ControlProtocol.JobResult] = (a, ct) => Boxed(Client().GetJobResultAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Job] = (a, ct) => Boxed(Client().GetJobAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Wait] = (a, ct) => Boxed(Client().WaitAsync(A<JobId>(a, "id"), ControlJson.Arg<TimeSpan?>(a, "timeout", required: false), ct)),
            [ControlProtocol.Cancel] = (a, ct) => Boxed(Client().CancelAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Requeue] = (a, ct) => Boxed(Client().RequeueAsync(A<JobId>(a, "id"), Optional<string>(a, "queue"), ct)),
            [ControlProtocol.CancelJobs] = (a, ct) => Boxed(Client().CancelJobsAsync(A<JobFilter>(a, "filter"), ct)),
            [ControlProtocol.RequeueJobs] = (a, ct) => Boxed(Client().RequeueJobsAsync(A<JobFilter>(a, "filter"), Optional<string>(a, "destination"), ct)),
            [ControlProtocol.ListJobs] = (a, ct) => Boxed(Client().ListJobsAsync(A<JobFilter>(a, "filter"), A<int>(a, "skip"), A<int>(a, "limit"), ct)),
            [ControlProtocol.JobLogs] = (a, ct) => Boxed(Client().GetJobLogsAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.QueueSize] = (a, ct) => Boxed(Client().GetQueueSizeAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.QueueStats] = (_, ct) => Boxed(Client().GetQueueStatsAsync(ct)),
            [ControlProtocol.Pause] = (a, ct) => Done(Client().PauseQueueAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.Resume] = (a, ct) => Done(Client().ResumeQueueAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.IsPaused] = (a, ct) => Boxed(Client().IsQueuePausedAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.ListRawJobs] = (a, ct) => Boxed(Client().ListRawJobsAsync(A<string>(a, "queue"), A<int>(a, "skip"), A<int>(a, "limit"), ct)),
            [ControlProtocol.RemoveRawJobs] = (a, ct) => Boxed(Client().RemoveRawJobsAsync(A<string>(a, "queue"), A<List<string>>(a, "members"), ct)),
        };
    }
}
