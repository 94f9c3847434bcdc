using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Mrq.Samples;
using Mrq.Tests.Support;
using NUnit.Framework;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Mrq.Tests.Diagnostics;

/// <summary>
/// The observability sample as a user runs it: a web request queues a job, the hosted worker runs it, and the
/// OpenTelemetry SDK the sample configured sees one trace (request → send → process) and the <c>Mrq</c> metrics.
/// </summary>
[TestFixture]
[Category("samples")]
public sealed class ObservabilitySampleTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "mrq-observability-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task A_request_its_job_and_the_run_form_one_trace_and_the_run_is_in_the_metrics()
    {
        var spans = new ExportedItems<Activity>();
        var metrics = new ExportedItems<Metric>();
        await using var app = ObservabilitySample.Build(Path.Combine(_directory, "jobs.db"), ["--urls=http://127.0.0.1:0"], services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var response = await http.PostAsync("/add?a=40&b=2", content: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Activity? process = null;
        await Wait.UntilAsync(() =>
        {
            process = spans.Snapshot().FirstOrDefault(a => a.DisplayName == "process default" && (string?)a.GetTagItem("messaging.message.id") == id);
            return Task.FromResult(process is not null);
        }, "the run of the job is exported");
        await Wait.UntilAsync(async () => (string?)(await http.GetFromJsonAsync<JsonObject>($"/jobs/{id}"))!["status"] == "success", "the job succeeded");
        await app.StopAsync();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var exported = spans.Snapshot();
        var request = exported.Single(a => a.Kind == ActivityKind.Server && a.TraceId == process!.TraceId && a.DisplayName.StartsWith("POST", StringComparison.Ordinal));
        var send = exported.Single(a => a.DisplayName == "send default" && a.TraceId == process!.TraceId);
        Assert.Multiple(() =>
        {
            Assert.That(send.ParentSpanId, Is.EqualTo(request.SpanId), "the enqueue is a child of the request");
            Assert.That(process!.ParentSpanId, Is.EqualTo(send.SpanId), "the run is a child of the enqueue");
            Assert.That(metrics.Snapshot().Select(m => m.Name), Is.SupersetOf(new[] { "mrq.jobs.started", "mrq.jobs.ended", "mrq.job.duration", "mrq.job.queue_wait", "mrq.jobs.enqueued" }));
            Assert.That(metrics.Snapshot().First(m => m.Name == "mrq.job.duration").Unit, Is.EqualTo("s"));
        });
    }
}
