using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Client;
using Mrq.Diagnostics;
using Mrq.Jobs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mrq.Samples;

/// <summary>
/// OpenTelemetry with Mrq: an ASP.NET Core minimal API whose <c>POST /add?a=1&amp;b=2</c> queues a
/// <c>samples.Add</c> job that the hosted worker runs. One trace shows the request (ASP.NET Core), the
/// <c>send default</c> span of the enqueue and the <c>process default</c> span of the run, which would be on another
/// machine just the same (the trace context travels in the job); the <c>Mrq</c> meter gives job counts, durations,
/// queue wait and queue depth. Both go to the console exporter.
/// Run it with <c>dotnet run --project Mrq.Samples -- observability</c>, then <c>curl -X POST 'http://127.0.0.1:5080/add?a=1&amp;b=2'</c>.
/// </summary>
public static class ObservabilitySample
{
    /// <summary>The command-line word that runs this sample instead of the demo.</summary>
    public const string Command = "observability";

    /// <summary>The OpenTelemetry service name of the sample.</summary>
    public const string ServiceName = "mrq-samples-web";

    /// <summary>Builds the application (not started).</summary>
    /// <param name="databasePath">The LiteDB file of the jobs.</param>
    /// <param name="args">Command-line arguments (<c>--urls</c> sets the address; default http://127.0.0.1:5080).</param>
    /// <param name="configure">Adds to the services after the sample's own (tests add in-memory exporters).</param>
    public static WebApplication Build(string databasePath, string[]? args = null, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args ?? []);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(MrqTracing.ActivitySourceName)
                .AddConsoleExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(MrqMetrics.MeterName)
                .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000));
        builder.Services.AddMrq(mrq => mrq
            .UseLiteDb(databasePath)
            .AddTasksFrom(typeof(ObservabilitySample).Assembly)
            .Configure(options => options.MaxLatency = 0.1)
            .AddWorker());
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapPost("/add", async (long a, long b, IJobClient jobs, CancellationToken cancellationToken) =>
        {
            var id = await jobs.QueueJobAsync("samples.Add", new JsonObject { ["a"] = a, ["b"] = b }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Results.Accepted($"/jobs/{id}", new { id = id.ToString() });
        });
        app.MapGet("/jobs/{id}", async (string id, IJobClient jobs, CancellationToken cancellationToken) =>
            JobId.TryParse(id, out var jobId) && await jobs.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false) is { } job
                ? Results.Ok(new { id, status = job.Status.ToMrqName(), result = job.Result })
                : Results.NotFound());
        return app;
    }
}
