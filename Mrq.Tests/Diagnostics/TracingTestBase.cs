using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Diagnostics;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mrq.Tests.Diagnostics;

/// <summary>
/// The <c>Mrq</c> spans through the OpenTelemetry SDK and its in-memory exporter, across a real worker on each
/// backend: the request that queues a job, the <c>send</c> span and the <c>process</c> span form one trace.
/// </summary>
public abstract class TracingTestBase
{
    private const string RawQueue = "traced_raw";
    private static readonly ActivitySource s_request = new("Mrq.Tests.Request");
    private readonly ExportedItems<Activity> _exported = new();
    private TracerProvider? _tracing;
    private MrqTestHost? _host;

    /// <summary>The running host (started after <see cref="PrepareStorageAsync"/>).</summary>
    internal MrqTestHost Host => _host!;

    /// <summary>Configures the backend under test (a fresh, empty storage).</summary>
    protected abstract void UseStorage(IMrqBuilder builder);

    /// <summary>Creates the storage the next <see cref="UseStorage"/> uses (servers, files).</summary>
    protected virtual Task PrepareStorageAsync() => Task.CompletedTask;

    /// <summary>Removes what the storage left behind.</summary>
    protected virtual ValueTask CleanupStorageAsync() => ValueTask.CompletedTask;

    [SetUp]
    public async Task StartAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(MrqTracing.ActivitySourceName, s_request.Name)
            .AddInMemoryExporter(_exported)
            .Build();
        await PrepareStorageAsync();
        _host = await MrqTestHost.StartAsync(
            UseStorage,
            b => b.AddRawQueue(RawQueue, member => new RawJob("tests.tasks.general.Add", new JsonObject { ["a"] = int.Parse(member, CultureInfo.InvariantCulture), ["b"] = 0 })),
            o => o.Queues = ["default", RawQueue]);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _tracing?.Dispose();
        await CleanupStorageAsync();
    }

    [Test]
    public async Task A_job_run_on_a_worker_is_a_child_of_the_send_span_which_is_a_child_of_the_request()
    {
        JobId id;
        string requestTrace, requestSpan;
        using (var request = s_request.StartActivity("GET /add", ActivityKind.Server)!)
        {
            requestTrace = request.TraceId.ToString();
            requestSpan = request.SpanId.ToString();
            id = await _host!.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        }

        _host.StartWorker();
        var job = await Wait.ForEndAsync(_host.Client, id);
        Assert.That(job.Status, Is.EqualTo(JobStatus.Success));

        var send = await ExportedAsync("send default", id);
        var process = await ExportedAsync("process default", id);
        Assert.Multiple(() =>
        {
            Assert.That(send.Kind, Is.EqualTo(ActivityKind.Producer));
            Assert.That(send.TraceId.ToString(), Is.EqualTo(requestTrace));
            Assert.That(send.ParentSpanId.ToString(), Is.EqualTo(requestSpan));
            Assert.That(send.GetTagItem("messaging.system"), Is.EqualTo("mrq"));
            Assert.That(send.GetTagItem("messaging.operation.type"), Is.EqualTo("send"));
            Assert.That(send.GetTagItem("messaging.destination.name"), Is.EqualTo("default"));
            Assert.That(send.GetTagItem("mrq.task.path"), Is.EqualTo("tests.tasks.general.Add"));
            Assert.That(job.TraceParent, Is.EqualTo(send.Id), "the stored trace context is the send span's");

            Assert.That(process.Kind, Is.EqualTo(ActivityKind.Consumer));
            Assert.That(process.TraceId.ToString(), Is.EqualTo(requestTrace));
            Assert.That(process.ParentSpanId, Is.EqualTo(send.SpanId));
            Assert.That(process.HasRemoteParent, Is.True, "the parent comes from the stored job, not from this process's ambient activity");
            Assert.That(process.GetTagItem("messaging.operation.type"), Is.EqualTo("process"));
            Assert.That(process.GetTagItem("messaging.destination.name"), Is.EqualTo("default"));
            Assert.That(process.GetTagItem("mrq.task.path"), Is.EqualTo("tests.tasks.general.Add"));
            Assert.That(process.GetTagItem("mrq.job.status"), Is.EqualTo("success"));
            Assert.That(process.Status, Is.EqualTo(ActivityStatusCode.Unset));
        });
    }

    [Test]
    public async Task A_failed_job_sets_the_error_status_and_records_the_exception()
    {
        var id = await _host!.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "broken on purpose" });
        _host.StartWorker();
        Assert.That((await Wait.ForEndAsync(_host.Client, id)).Status, Is.EqualTo(JobStatus.Failed));

        var process = await ExportedAsync("process default", id);
        var exception = process.Events.Single(e => e.Name == "exception");
        Assert.Multiple(() =>
        {
            Assert.That(process.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(process.StatusDescription, Is.EqualTo("broken on purpose"));
            Assert.That(process.GetTagItem("error.type"), Is.EqualTo("InvalidDataException"));
            Assert.That(process.GetTagItem("mrq.job.status"), Is.EqualTo("failed"));
            Assert.That(exception.Tags.First(t => t.Key == "exception.type").Value, Is.EqualTo(typeof(InvalidDataException).FullName));
            Assert.That(exception.Tags.First(t => t.Key == "exception.message").Value, Is.EqualTo("broken on purpose"));
        });
    }

    [Test]
    public async Task A_batch_has_one_send_span_whose_context_every_job_carries()
    {
        var ids = await _host!.Client.QueueJobsAsync("tests.tasks.general.Add", [new JsonObject { ["a"] = 1, ["b"] = 1 }, new JsonObject { ["a"] = 2, ["b"] = 2 }]);
        var send = _exported.Snapshot().Single(a => a.DisplayName == "send default");
        _host.StartWorker();
        Assert.That(send.GetTagItem("messaging.batch.message_count"), Is.EqualTo(2));
        foreach (var id in ids)
        {
            await Wait.ForEndAsync(_host.Client, id);
            var process = await ExportedAsync("process default", id);
            Assert.That(process.ParentSpanId, Is.EqualTo(send.SpanId));
        }
    }

    [Test]
    public async Task A_raw_push_has_a_send_span_but_its_run_starts_a_new_trace_since_a_member_carries_no_context()
    {
        string requestTrace;
        using (var request = s_request.StartActivity("POST /raw", ActivityKind.Server)!)
        {
            requestTrace = request.TraceId.ToString();
            await _host!.Client.QueueRawJobsAsync(RawQueue, ["5"]);
        }

        var send = _exported.Snapshot().Single(a => a.DisplayName == "send " + RawQueue);
        _host.StartWorker();
        Activity? process = null;
        await Wait.UntilAsync(() =>
        {
            process = _exported.Snapshot().FirstOrDefault(a => a.Kind == ActivityKind.Consumer && (string?)a.GetTagItem("mrq.raw_queue") == RawQueue);
            return Task.FromResult(process is not null);
        }, "the raw job's run is exported");
        Assert.Multiple(() =>
        {
            Assert.That(send.Kind, Is.EqualTo(ActivityKind.Producer));
            Assert.That(send.TraceId.ToString(), Is.EqualTo(requestTrace));
            Assert.That(send.GetTagItem("messaging.batch.message_count"), Is.EqualTo(1));
            Assert.That(process!.ParentSpanId, Is.EqualTo(default(ActivitySpanId)), "a raw member has nowhere to carry a trace context");
            Assert.That(process.TraceId.ToString(), Is.Not.EqualTo(requestTrace));
            Assert.That(process.GetTagItem("mrq.job.status"), Is.EqualTo("success"));
        });
    }

    /// <summary>The exported span named <paramref name="name"/> of job <paramref name="id"/> (by message id, or the send span of a one-job batch).</summary>
    private async Task<Activity> ExportedAsync(string name, JobId id)
    {
        Activity? found = null;
        await Wait.UntilAsync(() =>
        {
            found = _exported.Snapshot().FirstOrDefault(a => a.DisplayName == name && (string?)a.GetTagItem("messaging.message.id") == id.ToString());
            return Task.FromResult(found is not null);
        }, $"the span '{name}' of job {id} is exported");
        return found!;
    }
}
