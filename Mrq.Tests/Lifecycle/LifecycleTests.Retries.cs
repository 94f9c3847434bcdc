using System.Text.Json.Nodes;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary>Automatic retries with backoff: a per-task policy, off by default, ending maxretries as MRQ's retry does.</summary>
public sealed partial class LifecycleTests
{
    private static JsonObject FlakyParams(int succeedAfter, string? throwKind = null) => new()
    {
        ["key"] = Guid.NewGuid().ToString("N"),
        ["succeed_after"] = succeedAfter,
        ["throw"] = throwKind,
    };

    [Test]
    public async Task AutoRetry_AlwaysFailing_BacksOffThenEndsMaxretries()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock);
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.lifecycle.Flaky", FlakyParams(99));

        // Retry 1 waits retry_delay (10 s), retry 2 waits 10 × 3 = 30 s capped at retry_max_delay (25 s); jitter 0.
        var first = await RetriedAsync(host, id, 1);
        Assert.That(first.DateRetry - first.DateUpdated, Is.EqualTo(TimeSpan.FromSeconds(10)).Within(TimeSpan.FromMilliseconds(2)));
        Assert.That(first.ExceptionType, Is.EqualTo("TimeoutException"));
        Assert.That(first.Traceback, Does.Contain("attempt 1 timed out"));
        clock.Advance(TimeSpan.FromSeconds(10));

        var second = await RetriedAsync(host, id, 2);
        Assert.That(second.DateRetry - second.DateUpdated, Is.EqualTo(TimeSpan.FromSeconds(25)).Within(TimeSpan.FromMilliseconds(2)));
        clock.Advance(TimeSpan.FromSeconds(25));

        await Wait.ForStatusAsync(host.Client, id, JobStatus.MaxRetries);
        var last = (await host.Client.GetJobAsync(id))!;
        Assert.That(last.RetryCount, Is.EqualTo(2));
        Assert.That(last.ExceptionType, Is.EqualTo("MaxRetriesInterrupt"));
        Assert.That(last.Traceback, Does.Contain("attempt 3 timed out"));
        Assert.That(last.TracebackHistory.Select(h => h.Status), Is.EqualTo(new[] { JobStatus.Retry, JobStatus.Retry, JobStatus.MaxRetries }));
    }

    private static async Task<JobRecord> RetriedAsync(MrqTestHost host, JobId id, int retryCount)
    {
        await Wait.UntilAsync(async () => await host.Client.GetJobAsync(id) is { Status: JobStatus.Retry } job && job.RetryCount == retryCount, $"retry {retryCount} of job {id}");
        return (await host.Client.GetJobAsync(id))!;
    }

    [Test]
    public async Task AutoRetry_SucceedsOnSecondAttempt_EndsSuccess()
    {
        var clock = NewClock();
        var host = await StartHostAsync(clock);
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.lifecycle.Flaky", FlakyParams(2));

        await RetriedAsync(host, id, 1);
        clock.Advance(TimeSpan.FromSeconds(10));

        await Wait.ForStatusAsync(host.Client, id, JobStatus.Success);
        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.Result!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(job.RetryCount, Is.EqualTo(1));
    }

    [Test]
    public async Task AutoRetry_ExceptionNotListed_Fails()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.lifecycle.Flaky", FlakyParams(99, "other"));

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.ExceptionType, Is.EqualTo("InvalidOperationException"));
        Assert.That(job.RetryCount, Is.Zero);
    }

    [Test]
    public async Task AutoRetry_FromConfiguration_RetriesOnBaseTypeAndStopsAtMaxRetries()
    {
        // retry_on names a base type (Exception) of what the task throws; retry_delay 0 requeues at once.
        var host = await StartHostAsync(options: o => o.Tasks["tests.tasks.general.RaiseException"] = new TaskOptions
        {
            RetryOn = ["Exception"],
            RetryDelay = 0,
            MaxRetries = 1,
        });
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "boom" });

        await Wait.ForStatusAsync(host.Client, id, JobStatus.MaxRetries);
        var job = (await host.Client.GetJobAsync(id))!;
        Assert.That(job.RetryCount, Is.EqualTo(1));
        Assert.That(job.TracebackHistory.Select(h => h.Status), Is.EqualTo(new[] { JobStatus.Queued, JobStatus.MaxRetries }));
    }

    [Test]
    public async Task AutoRetry_OffByDefault_ExceptionFailsTheJob()
    {
        var host = await StartHostAsync();
        host.StartWorker();
        var id = await host.Client.QueueJobAsync("tests.tasks.general.RaiseException", new JsonObject { ["message"] = "boom" });

        var job = await Wait.ForEndAsync(host.Client, id);

        Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(job.RetryCount, Is.Zero);
    }
}
