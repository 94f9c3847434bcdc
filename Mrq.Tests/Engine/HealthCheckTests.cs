using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.DependencyInjection;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>The health checks registered by <c>AddHealthChecks</c> on the Mrq builder, in a real host.</summary>
[TestFixture]
[Category("engine")]
public sealed class HealthCheckTests
{
    [Test]
    public async Task RunningWorker_HealthyOnceReporting()
    {
        using var host = Build(b => b.UseInMemoryStorage().AddWorker().AddHealthChecks());
        await host.StartAsync();

        var report = await WaitForAsync(host, r => r.Entries["mrq-worker"].Status == HealthStatus.Healthy && r.Entries["mrq-worker"].Data.ContainsKey("report_age_seconds"));

        Assert.That(report.Entries["mrq-storage"].Status, Is.EqualTo(HealthStatus.Healthy), report.Entries["mrq-storage"].Description);
        await host.StopAsync();
    }

    [Test]
    public async Task WorkerThatFails_UnhealthyWhileTheHostRuns()
    {
        // A raw queue without a job factory makes the worker itself fail at start (the host does not).
        using var host = Build(b => b.UseInMemoryStorage().Configure(o => o.Queues = ["feed_raw"]).AddWorker().AddHealthChecks());
        await host.StartAsync();

        var report = await WaitForAsync(host, r => r.Entries["mrq-worker"].Status == HealthStatus.Unhealthy);

        Assert.That(report.Entries["mrq-worker"].Description, Does.Contain("worker failed"));
        Assert.That(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested, Is.False, "stopping the host is opt-in");
        await host.StopAsync();
    }

    [Test]
    public async Task WorkerThatFails_StopsTheHostWhenAsked()
    {
        using var host = Build(b => b.UseInMemoryStorage().Configure(o => o.Queues = ["feed_raw"]).AddWorker(o => o.StopApplicationOnFailure = true));
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await host.StartAsync();

        await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Wait.Long);

        Assert.That(stopping.IsCancellationRequested, Is.True);
        await host.StopAsync();
    }

    [Test]
    public async Task WorkerEndedByMaxJobs_Unhealthy()
    {
        using var host = Build(b => b.UseInMemoryStorage().Configure(o => o.MaxJobs = 1).AddWorker().AddHealthChecks());
        await host.StartAsync();
        await host.Services.GetRequiredService<IJobClient>().QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });

        var report = await WaitForAsync(host, r => r.Entries["mrq-worker"].Status == HealthStatus.Unhealthy);

        Assert.That(report.Entries["mrq-worker"].Description, Does.Contain("MaxJobs"));
        await host.StopAsync();
    }

    [Test]
    public async Task UnreachableStorage_UnhealthyWithoutPassword()
    {
        using var host = Build(b => b
            .UseMongo("mongodb://user:s3cret@127.0.0.1:1/mrq?serverSelectionTimeoutMS=500&connectTimeoutMS=500")
            .UseRedis("redis://127.0.0.1:1")
            .AddHealthChecks(o => o.StorageTimeout = TimeSpan.FromSeconds(3)));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var storage = report.Entries["mrq-storage"];
        Assert.That(storage.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(storage.Description, Does.Not.Contain("s3cret"));
        Assert.That(report.Entries["mrq-worker"].Status, Is.EqualTo(HealthStatus.Healthy), "an app without AddWorker has no worker to judge");
    }

    [Test]
    public async Task QueueAge_DegradedOnceTheOldestQueuedJobIsTooOld()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        using var host = Build(
            b => b.UseInMemoryStorage().AddHealthChecks(o => o.MaxQueuedAge = TimeSpan.FromMinutes(5)),
            services => services.AddSingleton<TimeProvider>(clock));
        await host.Services.GetRequiredService<IJobClient>().QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        var checks = host.Services.GetRequiredService<HealthCheckService>();

        clock.Advance(TimeSpan.FromMinutes(4));
        var young = await checks.CheckHealthAsync();
        clock.Advance(TimeSpan.FromMinutes(2));
        var old = await checks.CheckHealthAsync();

        Assert.That(young.Entries["mrq-queue-age"].Status, Is.EqualTo(HealthStatus.Healthy), young.Entries["mrq-queue-age"].Description);
        Assert.That(old.Entries["mrq-queue-age"].Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(old.Entries["mrq-queue-age"].Description, Does.Contain("default"));
    }

    private static IHost Build(Action<IMrqBuilder> configure, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        builder.Services.AddMrq(b =>
        {
            b.AddTasksFrom(typeof(HealthCheckTests).Assembly).Configure(o =>
            {
                o.ReportInterval = 1;
                o.MaxLatency = 0.1;
                o.Maintenance = false;
            });
            configure(b);
        });
        return builder.Build();
    }

    private static async Task<HealthReport> WaitForAsync(IHost host, Func<HealthReport, bool> condition)
    {
        var checks = host.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow + Wait.Long;
        while (true)
        {
            var report = await checks.CheckHealthAsync();
            if (condition(report) || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(50);
        }
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan span) => _now += span;
    }
}
