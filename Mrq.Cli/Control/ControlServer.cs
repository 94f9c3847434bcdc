using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Hosting;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Monitoring;
using Mrq.Storage;

namespace Mrq.Cli.Control;

/// <summary>
/// The control endpoint of a process that holds a LiteDB file: its <see cref="IMrqMonitor"/> and
/// <see cref="IJobClient"/> served on <see cref="ControlSocket"/>, so that <c>mrq jobs</c>, <c>mrq queues</c>,
/// <c>mrq run --queue</c> and <c>mrq dashboard</c> from other processes work on the file while it is held. Start it
/// only once the file is open (its lock is what makes removing a stale socket safe); dispose it before the storage.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ControlSocket _socket;

    private ControlServer(WebApplication app, ControlSocket socket)
    {
        _app = app;
        _socket = socket;
    }

    /// <summary>
    /// When the host uses a LiteDB file directly (not distributed, not through another holder), opens the file (so
    /// this process holds it) and serves its control endpoint; otherwise returns null.
    /// </summary>
    /// <exception cref="MrqStorageException">The file cannot be opened (e.g. another process holds it).</exception>
    public static async Task<ControlServer?> ServeIfHoldingAsync(CliHost host, StorageChoice storage, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.IsDistributed || host.Holder is not null)
        {
            return null;
        }

        await host.Services.GetRequiredService<MrqStorage>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await StartAsync(storage.LiteDbPath!, host.Monitor, host.Client, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the monitor and the client on the file's control socket, or returns null (with a warning) when it cannot.</summary>
    public static async Task<ControlServer?> StartAsync(string liteDbPath, IMrqMonitor monitor, IJobClient client, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        var socket = ControlSocket.For(liteDbPath);
        if (!socket.IsUsable)
        {
            logger.LogWarning("No control endpoint: the socket path {Socket} is too long for the operating system, so other mrq commands cannot use {File} while this process holds it.", socket.Path, socket.LiteDbPath);
            return null;
        }

        socket.RemoveStale();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            socket.Listen(kestrel);
        });
        var app = builder.Build();
        var operations = Operations(socket, monitor, client);
        app.MapPost(ControlProtocol.Route("{**operation}"), (Delegate)(Func<HttpContext, string, Task<IResult>>)((http, operation) => HandleAsync(http, operation, operations)));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            socket.RestrictToOwner();
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            logger.LogWarning("No control endpoint on {Socket}: {Reason}. Other mrq commands cannot use {File} while this process holds it.", socket.Description, e.Message, socket.LiteDbPath);
            return null;
        }

        logger.LogInformation("Control endpoint: {Socket} (mrq jobs, queues, run --queue and dashboard from other processes go through it).", socket.Description);
        return new ControlServer(app, socket);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _socket.RemoveStale();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, string operation, Dictionary<string, Func<JsonObject, CancellationToken, Task<object?>>> operations)
    {
        if (!operations.TryGetValue(operation, out var run))
        {
            return Error(404, new ControlError(nameof(ArgumentException), $"Unknown control operation '{operation}'."));
        }

        try
        {
            var arguments = await http.Request.ReadFromJsonAsync<JsonObject>(ControlJson.Options, http.RequestAborted).ConfigureAwait(false) ?? [];
            var answer = await run(arguments, http.RequestAborted).ConfigureAwait(false);
            return Results.Text(JsonSerializer.Serialize(answer, ControlJson.Options), "application/json; charset=utf-8");
        }
        catch (JsonException e)
        {
            return Error(400, new ControlError(nameof(ArgumentException), $"Bad control request: {e.Message}"));
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return Error(e is ArgumentException or KeyNotFoundException ? 400 : 500, ControlProtocol.Describe(e));
        }
    }

    private static IResult Error(int status, ControlError error) =>
        Results.Text(JsonSerializer.Serialize(error, ControlJson.Options), "application/json; charset=utf-8", statusCode: status);

    private static Dictionary<string, Func<JsonObject, CancellationToken, Task<object?>>> Operations(ControlSocket socket, IMrqMonitor monitor, IJobClient client)
    {
        static T A<T>(JsonObject a, string name) => ControlJson.Arg<T>(a, name);
        static T? Optional<T>(JsonObject a, string name) => ControlJson.Arg<T?>(a, name, required: false);
        static async Task<object?> Boxed<T>(Task<T> task) => await task.ConfigureAwait(false);
        static async Task<object?> Done(Task task)
        {
            await task.ConfigureAwait(false);
            return null;
        }

        var hello = new ControlHello(Environment.ProcessId, socket.LiteDbPath, monitor.ScanLimit, monitor.StaleAfter);
        return new(StringComparer.Ordinal)
        {
            [ControlProtocol.Hello] = (_, _) => Task.FromResult<object?>(hello),
            [ControlProtocol.Overview] = (_, ct) => Boxed(monitor.GetOverviewAsync(ct)),
            [ControlProtocol.SearchJobs] = (a, ct) => Boxed(monitor.SearchJobsAsync(A<JobSearch>(a, "search"), A<int>(a, "skip"), A<int>(a, "limit"), ct)),
            [ControlProtocol.FindJobIds] = async (a, ct) =>
            {
                var (ids, truncated) = await monitor.FindJobIdsAsync(A<JobSearch>(a, "search"), ct).ConfigureAwait(false);
                return new FoundJobIds(ids, truncated);
            },
            [ControlProtocol.JobDetails] = (a, ct) => Boxed(monitor.GetJobAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Workers] = (_, ct) => Boxed(monitor.GetWorkersAsync(ct)),
            [ControlProtocol.PeekRawQueue] = (a, ct) => Boxed(monitor.PeekRawQueueAsync(A<string>(a, "queue"), A<int>(a, "limit"), ct)),
            [ControlProtocol.TaskStats] = (_, ct) => Boxed(monitor.GetTaskStatsAsync(ct)),
            [ControlProtocol.QueueJob] = (a, ct) => Boxed(client.QueueJobAsync(A<string>(a, "path"), Optional<JsonObject>(a, "params"), Optional<string>(a, "queue"), ct)),
            [ControlProtocol.QueueJobWithOptions] = (a, ct) => Boxed(client.QueueJobAsync(A<string>(a, "path"), Optional<JsonObject>(a, "params"), A<QueueJobOptions>(a, "options"), ct)),
            [ControlProtocol.QueueJobs] = (a, ct) => Boxed(client.QueueJobsAsync(A<string>(a, "path"), A<List<JsonObject>>(a, "params"), Optional<string>(a, "queue"), A<int>(a, "batchSize"), ct)),
            [ControlProtocol.QueueRawJobs] = (a, ct) => Done(client.QueueRawJobsAsync(A<string>(a, "queue"), A<List<string>>(a, "members"), A<int>(a, "batchSize"), ct)),
            [ControlProtocol.QueueScoredRawJobs] = (a, ct) => Done(client.QueueRawJobsAsync(A<string>(a, "queue"), A<List<KeyValuePair<string, double>>>(a, "members"), A<int>(a, "batchSize"), ct)),
            [ControlProtocol.JobResult] = (a, ct) => Boxed(client.GetJobResultAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Job] = (a, ct) => Boxed(client.GetJobAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Wait] = (a, ct) => Boxed(client.WaitAsync(A<JobId>(a, "id"), ControlJson.Arg<TimeSpan?>(a, "timeout", required: false), ct)),
            [ControlProtocol.Cancel] = (a, ct) => Boxed(client.CancelAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.Requeue] = (a, ct) => Boxed(client.RequeueAsync(A<JobId>(a, "id"), Optional<string>(a, "queue"), ct)),
            [ControlProtocol.CancelJobs] = (a, ct) => Boxed(client.CancelJobsAsync(A<JobFilter>(a, "filter"), ct)),
            [ControlProtocol.RequeueJobs] = (a, ct) => Boxed(client.RequeueJobsAsync(A<JobFilter>(a, "filter"), Optional<string>(a, "destination"), ct)),
            [ControlProtocol.ListJobs] = (a, ct) => Boxed(client.ListJobsAsync(A<JobFilter>(a, "filter"), A<int>(a, "skip"), A<int>(a, "limit"), ct)),
            [ControlProtocol.JobLogs] = (a, ct) => Boxed(client.GetJobLogsAsync(A<JobId>(a, "id"), ct)),
            [ControlProtocol.QueueSize] = (a, ct) => Boxed(client.GetQueueSizeAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.QueueStats] = (_, ct) => Boxed(client.GetQueueStatsAsync(ct)),
            [ControlProtocol.Pause] = (a, ct) => Done(client.PauseQueueAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.Resume] = (a, ct) => Done(client.ResumeQueueAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.IsPaused] = (a, ct) => Boxed(client.IsQueuePausedAsync(A<string>(a, "queue"), ct)),
            [ControlProtocol.ListRawJobs] = (a, ct) => Boxed(client.ListRawJobsAsync(A<string>(a, "queue"), A<int>(a, "skip"), A<int>(a, "limit"), ct)),
            [ControlProtocol.RemoveRawJobs] = (a, ct) => Boxed(client.RemoveRawJobsAsync(A<string>(a, "queue"), A<List<string>>(a, "members"), ct)),
        };
    }
}
