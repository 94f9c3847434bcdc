using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Monitoring;
using Mrq.Storage;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// The dashboard's two hottest reads (every page of it polls the first) on a large store, through
/// <see cref="IMrqMonitor"/> as the dashboard and <c>mrq jobs</c>/<c>mrq queues</c> call it: the overview (counts per
/// queue and status, oldest queued job per queue, workers) and one filtered page of the jobs list (queue + status,
/// page 3 of 20, newest first, with its total). The store holds <c>MRQ_BENCH_DASHBOARD_JOBS</c> jobs (default
/// 1,000,000) over 10 queues and 20 task paths: 70 % success, 10 % failed, 5 % queued, 5 % cancel, 5 % retry,
/// 5 % maxretries. Backends: LiteDB (a temp file) and MongoDB (<c>MRQ_BENCH_MONGO</c>, default
/// <c>mongodb://127.0.0.1:27117</c>) with Redis (<c>MRQ_BENCH_REDIS</c>, default <c>redis://127.0.0.1:6390</c>).
/// Run: <c>dotnet run -c Release --project Mrq.Benchmarks -- micro --filter '*DashboardQuery*'</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
public class DashboardQueryBenchmarks
{
    private const int InsertBatch = 10_000;
    private const int Queues = 10;
    private const int Paths = 20;

    private readonly string _tag = $"{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
    private ServiceProvider _services = null!;
    private IMrqMonitor _monitor = null!;
    private string _directory = "";
    private string _mongoUrl = "";
    private string _database = "";

    /// <summary>The storage.</summary>
    [Params("litedb", "mongo")]
    public string Backend { get; set; } = "litedb";

    private static int JobCount => int.TryParse(Environment.GetEnvironmentVariable("MRQ_BENCH_DASHBOARD_JOBS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1_000_000;

    /// <summary>Opens the storage and stores the jobs.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var services = new ServiceCollection();
        services.AddMrq(mrq =>
        {
            if (Backend == "litedb")
            {
                _directory = Path.Combine(Path.GetTempPath(), $"mrq-dashboard-bench-{_tag}");
                Directory.CreateDirectory(_directory);
                mrq.UseLiteDb(Path.Combine(_directory, "jobs.db"));
            }
            else
            {
                _mongoUrl = Environment.GetEnvironmentVariable("MRQ_BENCH_MONGO") ?? "mongodb://127.0.0.1:27117";
                _database = $"mrqbench_dashboard_{_tag}";
                mrq.UseMongo($"{_mongoUrl.TrimEnd('/')}/{_database}");
                mrq.UseRedis(o =>
                {
                    o.Url = Environment.GetEnvironmentVariable("MRQ_BENCH_REDIS") ?? "redis://127.0.0.1:6390";
                    o.Prefix = $"mrqbenchdash{_tag}";
                });
            }
        });
        services.AddMrqMonitoring();
        _services = services.BuildServiceProvider();
        _monitor = _services.GetRequiredService<IMrqMonitor>();
        var storage = _services.GetRequiredService<MrqStorage>();
        await storage.InitializeAsync().ConfigureAwait(false);
        var start = DateTime.UtcNow.AddDays(-1);
        for (var first = 0; first < JobCount; first += InsertBatch)
        {
            var batch = Enumerable.Range(first, Math.Min(InsertBatch, JobCount - first)).Select(i => Job(i, start)).ToList();
            await storage.Jobs.InsertAsync(batch, CancellationToken.None).ConfigureAwait(false);
        }

        Console.WriteLine($"// {Backend}: stored {JobCount:N0} jobs");
    }

    /// <summary>Closes the storage and removes its data.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }

        if (_database.Length > 0)
        {
            await new MongoClient(_mongoUrl).DropDatabaseAsync(_database).ConfigureAwait(false);
        }
    }

    /// <summary>The overview every dashboard page polls.</summary>
    [Benchmark]
    public Task<MonitorOverview> Overview() => _monitor.GetOverviewAsync();

    /// <summary>Page 3 (20 rows) of the failed jobs of one queue, newest first, with the match count.</summary>
    [Benchmark]
    public Task<JobPage> FilteredJobsPage() =>
        _monitor.SearchJobsAsync(new JobSearch { Filter = new JobFilter { Queue = "q3", Statuses = [JobStatus.Failed] } }, skip: 40, limit: 20);

    /// <summary>Job <paramref name="i"/> of the benchmark store (queue, path and status spread as described above).</summary>
    internal static JobRecord Job(int i, DateTime start)
    {
        var job = JobRecord.NewQueued($"tasks.Task{i % Paths}", new JsonObject { ["n"] = i }, $"q{i % Queues}", start.AddMilliseconds(i * 50));
        var bucket = (i / Queues) % 100;
        job.Status = bucket switch
        {
            < 70 => JobStatus.Success,
            < 80 => JobStatus.Failed,
            < 85 => JobStatus.Queued,
            < 90 => JobStatus.Cancel,
            < 95 => JobStatus.Retry,
            _ => JobStatus.MaxRetries,
        };
        if (job.Status != JobStatus.Queued)
        {
            job.DateStarted = job.DateQueued.AddMilliseconds(10);
            job.DateUpdated = job.DateQueued.AddMilliseconds(30);
            job.TotalTime = 0.02;
            job.Worker = "bench";
        }

        if (job.Status is JobStatus.Failed or JobStatus.MaxRetries)
        {
            job.ExceptionType = "System.InvalidOperationException";
            job.Traceback = "System.InvalidOperationException: benchmark failure";
        }

        return job;
    }
}
