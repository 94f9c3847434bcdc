using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mrq.Scheduling;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

/// <summary>The scheduler inside a worker: on with <c>AddScheduler</c>, its first tick at start, and an invalid entry stops the start.</summary>
[TestFixture]
[Category("engine")]
public sealed class SchedulerWorkerTests
{
    [Test]
    public async Task AddScheduler_WorkerQueuesAndRunsTheEntryAtStart()
    {
        var ran = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MrqTestHost.StartAsync(
            b => b.UseInMemoryStorage(),
            b => b
                .AddTask("tests.sched.Ping", (p, _) =>
                {
                    ran.TrySetResult(p);
                    return ValueTask.FromResult<JsonNode?>(null);
                })
                .AddScheduler(s => s.Every(TimeSpan.FromHours(1), "tests.sched.Ping", new JsonObject { ["n"] = 7 })));

        host.StartWorker();

        var parameters = await ran.Task.WaitAsync(Wait.Long);
        Assert.That(parameters.ToJsonString(), Is.EqualTo("{\"n\":7}"));
        var states = await host.Storage.Schedules!.ListAsync(default);
        Assert.That(states.Single().Hash, Is.EqualTo("tests.sched.Ping 3600 None None None None [[\"n\",7]]"));
    }

    [Test]
    public async Task AddScheduler_CodeAndConfigurationEntriesAddUp()
    {
        await using var host = await MrqTestHost.StartAsync(
            b => b.UseInMemoryStorage(),
            b => b.AddScheduler(s => s.Cron("0 3 * * *", "tests.sched.Nightly")),
            o => o.SchedulerTasks = [new ScheduledTask { Path = "tests.sched.Ping", Interval = 60 }]);

        Assert.That(host.Options.Scheduler, Is.True);
        Assert.That(host.Options.SchedulerTasks.Select(t => t.Path), Is.EquivalentTo(new[] { "tests.sched.Ping", "tests.sched.Nightly" }));
    }

    [Test]
    public async Task InvalidEntry_WorkerRefusesToStartNamingIt()
    {
        await using var host = await MrqTestHost.StartAsync(
            b => b.UseInMemoryStorage(),
            b => b.AddScheduler(s => s.Add(new ScheduledTask { Path = "tests.sched.Bad", Weekday = 1 })));

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<Mrq.Workers.IMrqWorkerFactory>().Create());

        Assert.That(ex!.Message, Does.Contain("scheduler_tasks[0] tests.sched.Bad (no timing): weekday needs a dailytime."));
    }

    [Test]
    public async Task StorageWithoutScheduleStore_WorkerRefusesToStart()
    {
        await using var host = await MrqTestHost.StartAsync(
            b => b.UseInMemoryStorage().ConfigureStorage((_, parts) => parts.Schedules = null),
            b => b.AddScheduler(s => s.Every(TimeSpan.FromMinutes(1), "tests.sched.Ping")));
        var worker = host.Services.GetRequiredService<Mrq.Workers.IMrqWorkerFactory>().Create();
        try
        {
            var ex = Assert.ThrowsAsync<OptionsValidationException>(() => worker.RunAsync(default, default));

            Assert.That(ex!.Message, Does.Contain("scheduler: the in-memory storage keeps no scheduler state."));
        }
        finally
        {
            (worker as IDisposable)?.Dispose();
        }
    }
}
