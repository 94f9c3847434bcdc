using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Client;
using Mrq.DependencyInjection;
using Mrq.Storage;
using Mrq.Workers;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// The worker's whole per-job path in memory: claim, channel hand-off, context, a no-op task, outcome batching and
/// completion, on the in-memory storage (no I/O: 10,000 jobs per run) and on a LiteDB file (2,000 jobs per run). Each
/// invocation runs a worker with 8 greenlets over the pre-queued jobs until it returns, so the figures are per job,
/// allocations included (every thread of the process counts: engine, storage, task).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1, 1)]
[WarmupCount(2)]
[IterationCount(6)]
public class WorkerPathBenchmarks
{
    private const int MemoryJobs = 10_000;
    private const int LiteDbJobs = 2_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mrq-micro-worker-{Environment.ProcessId}");
    private ServiceProvider? _services;
    private int _run;

    /// <summary>A fresh in-memory host with its queued no-op jobs.</summary>
    [IterationSetup(Target = nameof(InMemory))]
    public void SetupInMemory() => Setup("inmemory", MemoryJobs);

    /// <summary>A fresh LiteDB host with its queued no-op jobs.</summary>
    [IterationSetup(Target = nameof(LiteDb))]
    public void SetupLiteDb() => Setup("litedb", LiteDbJobs);

    private void Setup(string storage, int jobs)
    {
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        var path = Path.Combine(_directory, $"worker-{_run++}.db");
        services.AddMrq(b =>
        {
            if (storage == "litedb")
            {
                // Without fsync, as the committed micro results were measured: these suites time the CPU path.
                b.UseLiteDb(o =>
                {
                    o.Path = path;
                    o.FlushToDisk = false;
                });
            }
            else
            {
                b.UseInMemoryStorage();
            }

            b.AddTask("bench.noop", (_, _) => ValueTask.FromResult<JsonNode?>(null));
        }).Configure(o =>
        {
            o.Greenlets = 8;
            o.MaxJobs = jobs;
            o.Queues = ["bench"];
        });
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<MrqStorage>().InitializeAsync().AsTask().GetAwaiter().GetResult();
        var parameters = Enumerable.Range(0, jobs).Select(i => new JsonObject { ["i"] = i });
        _services.GetRequiredService<IJobClient>().QueueJobsAsync("bench.noop", parameters, "bench").GetAwaiter().GetResult();
    }

    /// <summary>Disposes the host and its file.</summary>
    [IterationCleanup]
    public void Cleanup()
    {
        _services?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services = null;
        foreach (var file in Directory.GetFiles(_directory))
        {
            File.Delete(file);
        }
    }

    /// <summary>Removes the directory of the LiteDB files.</summary>
    [GlobalCleanup]
    public void RemoveDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>In memory: a worker (8 greenlets, max_jobs 10,000) from start until every outcome is saved.</summary>
    [Benchmark(OperationsPerInvoke = MemoryJobs)]
    public Task<WorkerExitReason> InMemory() => RunWorkerAsync();

    /// <summary>LiteDB: a worker (8 greenlets, max_jobs 2,000) from start until every outcome is saved.</summary>
    [Benchmark(OperationsPerInvoke = LiteDbJobs)]
    public Task<WorkerExitReason> LiteDb() => RunWorkerAsync();

    private async Task<WorkerExitReason> RunWorkerAsync()
    {
        var worker = _services!.GetRequiredService<IMrqWorkerFactory>().Create();
        return await worker.RunAsync(CancellationToken.None, CancellationToken.None).ConfigureAwait(false);
    }
}
