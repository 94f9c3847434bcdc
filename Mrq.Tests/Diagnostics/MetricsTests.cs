using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mrq.Diagnostics;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Tests.Faults;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Diagnostics;

/// <summary>The instruments of the <c>Mrq</c> meter, read through a <c>MeterListener</c> on a real worker.</summary>
[TestFixture]
[Category("inmemory")]
public sealed class MetricsTests
{
    private const string Add = "tests.tasks.general.Add";
    private const string Raise = "tests.tasks.general.RaiseException";

    [Test]
    public async Task Runs_record_started_ended_active_duration_and_queue_wait_by_task_and_status()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        using var capture = new MetricsCapture(Metrics(host).Meter);
        var ok = await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 1, ["b"] = 2 });
        var failed = await host.Client.QueueJobAsync(Raise, new JsonObject { ["message"] = "no" });
        host.StartWorker();
        await Wait.ForEndAsync(host.Client, ok);
        await Wait.ForEndAsync(host.Client, failed);

        var started = capture.Of("mrq.jobs.started");
        var ended = capture.Of("mrq.jobs.ended");
        var active = capture.Of("mrq.jobs.active");
        var duration = capture.Of("mrq.job.duration");
        var wait = capture.Of("mrq.job.queue_wait");
        Assert.Multiple(() =>
        {
            Assert.That(started.Select(m => (m.Tag("task"), m.Tag("queue"), m.Value)), Is.EquivalentTo(new[] { ((object?)Add, (object?)"default", 1.0), (Raise, "default", 1.0) }));
            Assert.That(ended.Select(m => (m.Tag("task"), m.Tag("status"))), Is.EquivalentTo(new[] { ((object?)Add, (object?)"success"), (Raise, "failed") }));
            Assert.That(active.Select(m => m.Value), Is.EquivalentTo(new[] { 1.0, 1.0, -1.0, -1.0 }), "each run adds itself to the active jobs and removes itself");
            Assert.That(active.Single(m => m.Value < 0 && (string?)m.Tag("task") == Add).Tag("status"), Is.Null, "active jobs are not split by status");
            Assert.That(duration.Select(m => (m.Tag("task"), m.Tag("status"))), Is.EquivalentTo(new[] { ((object?)Add, (object?)"success"), (Raise, "failed") }));
            Assert.That(duration.All(m => m.Unit == "s" && m.Value >= 0), Is.True);
            Assert.That(wait.Select(m => m.Tag("task")), Is.EquivalentTo(new object?[] { Add, Raise }));
            Assert.That(wait.All(m => m.Unit == "s" && m.Value >= 0), Is.True);
        });
    }

    [Test]
    public async Task Each_non_empty_claim_records_its_batch_size()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage(), options: o => o.Greenlets = 4);
        using var capture = new MetricsCapture(Metrics(host).Meter);
        var ids = await host.Client.QueueJobsAsync(Add, Enumerable.Range(0, 3).Select(i => new JsonObject { ["a"] = i, ["b"] = 1 }));
        host.StartWorker();
        foreach (var id in ids)
        {
            await Wait.ForEndAsync(host.Client, id);
        }

        var batches = capture.Of("mrq.claim.batch_size");
        Assert.Multiple(() =>
        {
            Assert.That(batches.Sum(m => m.Value), Is.EqualTo(3), "every claimed job is in one recorded batch");
            Assert.That(batches.All(m => m.Value > 0 && (string?)m.Tag("queue") == "default" && m.Unit == "{job}"), Is.True);
        });
    }

    [Test]
    public async Task A_failed_claim_counts_a_storage_error_by_operation()
    {
        var faults = new StorageFaults();
        faults.On<IJobStore>(nameof(IJobStore.ClaimAsync)).Times(1).Throws(() => new MrqStorageException("claim refused for the test"));
        await using var host = await MrqTestHost.StartAsync(b =>
        {
            b.UseInMemoryStorage();
            faults.WrapAll(b);
        });
        using var capture = new MetricsCapture(Metrics(host).Meter);
        var id = await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 1, ["b"] = 1 });
        host.StartWorker();
        await Wait.ForEndAsync(host.Client, id);

        var error = capture.Of("mrq.storage.errors").Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Tag("operation"), Is.EqualTo("claim"));
            Assert.That(error.Tag("error.type"), Is.EqualTo(typeof(MrqStorageException).FullName));
        });
    }

    [Test]
    public async Task Queue_depth_is_read_from_a_sample_refreshed_at_most_once_per_interval()
    {
        var faults = new StorageFaults();
        var counts = faults.On<IJobStore>(nameof(IJobStore.CountByQueueAndStatusAsync)).BeforeCall(_ => { });
        await using var host = await MrqTestHost.StartAsync(b =>
        {
            b.UseInMemoryStorage();
            faults.WrapAll(b);
        });
        await host.Client.QueueJobsAsync(Add, [new JsonObject { ["a"] = 1, ["b"] = 1 }, new JsonObject { ["a"] = 2, ["b"] = 1 }], queue: "a");
        await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 1, ["b"] = 1 }, queue: "b");
        var time = new FakeTimeProvider();
        var sampler = new QueueDepthSampler(() => host.Storage, time, TimeSpan.FromSeconds(15), _ => { }, NullLogger.Instance);

        Assert.That(sampler.Observe(), Is.Empty, "the first collection starts a sample and does not wait for it");
        await sampler.Refreshing!;
        for (var i = 0; i < 5; i++)
        {
            Assert.That(Depths(sampler), Is.EquivalentTo(new Dictionary<string, long> { ["a"] = 2, ["b"] = 1 }));
        }

        Assert.That(counts.Hits, Is.EqualTo(1), "six collections within the interval: one storage call");
        await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 1, ["b"] = 1 }, queue: "b");
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.That(Depths(sampler)["b"], Is.EqualTo(1), "still within the interval: the cached sample");
        time.Advance(TimeSpan.FromSeconds(1));
        Depths(sampler);
        await sampler.Refreshing!;
        Assert.Multiple(() =>
        {
            Assert.That(Depths(sampler)["b"], Is.EqualTo(2));
            Assert.That(counts.Hits, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task The_queue_depth_gauge_reports_the_sample_of_the_hosts_storage()
    {
        await using var host = await MrqTestHost.StartAsync(b => b.UseInMemoryStorage());
        using var capture = new MetricsCapture(Metrics(host).Meter);
        await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 1, ["b"] = 1 }, queue: "q1");
        capture.Collect();
        await Wait.UntilAsync(() =>
        {
            capture.Collect();
            return Task.FromResult(capture.Of("mrq.queue.depth").Any(m => (string?)m.Tag("queue") == "q1" && m.Value == 1));
        }, "mrq.queue.depth reports q1 = 1");
        Assert.That(capture.Of("mrq.queue.depth")[0].Unit, Is.EqualTo("{job}"));
    }

    [Test]
    public async Task A_failed_sample_keeps_the_last_one_and_counts_a_storage_error()
    {
        var faults = new StorageFaults();
        await using var host = await MrqTestHost.StartAsync(b =>
        {
            b.UseInMemoryStorage();
            faults.WrapAll(b);
        });
        await host.Client.QueueJobAsync(Add, new JsonObject { ["a"] = 1, ["b"] = 1 }, queue: "a");
        var time = new FakeTimeProvider();
        var errors = new List<Exception>();
        var sampler = new QueueDepthSampler(() => host.Storage, time, TimeSpan.FromSeconds(15), errors.Add, NullLogger.Instance);
        sampler.Observe();
        await sampler.Refreshing!;
        faults.On<IJobStore>(nameof(IJobStore.CountByQueueAndStatusAsync)).Throws(() => new MrqStorageException("down for the test"));
        time.Advance(TimeSpan.FromSeconds(15));
        sampler.Observe();
        await sampler.Refreshing!;
        Assert.Multiple(() =>
        {
            Assert.That(Depths(sampler), Is.EquivalentTo(new Dictionary<string, long> { ["a"] = 1 }));
            Assert.That(errors.Single().Message, Is.EqualTo("down for the test"));
        });
    }

    private static MrqMetrics Metrics(MrqTestHost host) => host.Services.GetRequiredService<MrqMetrics>();

    private static Dictionary<string, long> Depths(QueueDepthSampler sampler) =>
        sampler.Observe().ToDictionary(m => (string)m.Tags.ToArray().Single(t => t.Key == "queue").Value!, m => m.Value);
}
