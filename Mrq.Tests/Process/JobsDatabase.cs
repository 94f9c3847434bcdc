using System.Text.Json.Nodes;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Client;
using Mrq.DependencyInjection;
using Mrq.Jobs;
using Mrq.Samples.Tasks;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// The LiteDB file a test's <c>mrq</c> processes use, opened in the test process only while no <c>mrq</c> process
/// has it open (the file is exclusive to one process). Each call opens and closes it.
/// </summary>
internal sealed class JobsDatabase
{
    public JobsDatabase(string path)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Queues a job (a sample task).</summary>
    public Task<JobId> QueueAsync(string taskPath, JsonObject parameters, string queue = "default") =>
        WithServicesAsync(services => services.GetRequiredService<IJobClient>().QueueJobAsync(taskPath, parameters, queue));

    /// <summary>Reads a job. Opening the file requeues jobs a dead process left started, as any opener does.</summary>
    public Task<JobRecord> GetAsync(JobId id) => WithServicesAsync(async services =>
    {
        var job = await services.GetRequiredService<IJobClient>().GetJobAsync(id);
        Assert.That(job, Is.Not.Null, $"job {id} is not in {Path}");
        return job!;
    });

    /// <summary>Counts the jobs in the file.</summary>
    public Task<int> CountAsync() => WithServicesAsync(async services =>
        (await services.GetRequiredService<IJobClient>().ListJobsAsync(JobFilter.All, 0, 10_000)).Count);

    /// <summary>Runs the queued jobs of <paramref name="queues"/> with a burst worker in this process.</summary>
    public Task RunBurstAsync(params string[] queues) => WithServicesAsync(async services =>
    {
        var worker = services.GetRequiredService<IMrqWorkerFactory>().Create();
        var reason = await worker.RunAsync(CancellationToken.None, CancellationToken.None);
        (worker as IDisposable)?.Dispose();
        Assert.That(reason, Is.EqualTo(WorkerExitReason.BurstDone));
        return 0;
    }, options => options.Queues = queues);

    /// <summary>
    /// A job's stored status, read with LiteDB directly and read-only: unlike opening the file as a Mrq storage,
    /// this does not requeue jobs a dead worker left started.
    /// </summary>
    public string ReadStatusWithoutRecovery(JobId id)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = Path, ReadOnly = true, Connection = ConnectionType.Direct });
        var document = database.GetCollection("mrq_jobs").FindById(new ObjectId(id.ToByteArray()));
        Assert.That(document, Is.Not.Null, $"job {id} is not in {Path}");
        return document["status"].AsString;
    }

    private async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> action, Action<Configuration.MrqOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseLiteDb(Path).AddTasksFrom(typeof(Add).Assembly).Configure(o =>
        {
            o.DequeueStrategy = Configuration.DequeueStrategy.Burst;
            o.MaxLatency = 0.1;
            o.Maintenance = false;
            options?.Invoke(o);
        }));
        await using var provider = services.BuildServiceProvider();
        return await action(provider);
    }
}
