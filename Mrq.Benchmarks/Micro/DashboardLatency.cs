using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Monitoring;
using Mrq.Storage;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// <c>dashboard [--jobs N] [--runs N] [--backend litedb|mongo|all] [--label text]</c>: builds the store of
/// <see cref="DashboardQueryBenchmarks"/> once (default 1,000,000 jobs) and times the dashboard's two hottest reads
/// through <see cref="IMrqMonitor"/>, each <c>--runs</c> times after 3 warm-up calls: the overview and page 3 (20 rows)
/// of one queue's failed jobs with its total. Prints median and min–max in milliseconds. A plain command rather than a
/// BenchmarkDotNet suite, so a million jobs are inserted once, not once per benchmark case.
/// MongoDB: <c>MRQ_BENCH_MONGO</c> (default <c>mongodb://127.0.0.1:27117</c>) with Redis <c>MRQ_BENCH_REDIS</c>
/// (default <c>redis://127.0.0.1:6390</c>); <c>--label</c> names the server in the output (e.g. the emulator).
/// </summary>
internal static class DashboardLatency
{
    public const string Usage = "usage: dotnet run -c Release --project Mrq.Benchmarks -- dashboard [--jobs 1000000] [--runs 20] [--backend litedb|mongo|all] [--label <server name>]";

    private const int InsertBatch = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = 1_000_000;
        var runs = 20;
        var backends = new List<string> { "litedb" };
        string? label = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--jobs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    jobs = n;
                    break;
                case "--runs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    break;
                case "--backend" when value is "litedb" or "mongo" or "all":
                    backends = value == "all" ? ["litedb", "mongo"] : [value];
                    break;
                case "--label" when value is not null:
                    label = value;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"dashboard: bad argument '{args[i]}'{(value is null ? "" : $" '{value}'")}\n{Usage}").ConfigureAwait(false);
                    return 2;
            }

            i++;
        }

        foreach (var backend in backends)
        {
            await MeasureAsync(backend, backend == "mongo" ? label : null, jobs, runs).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task MeasureAsync(string backend, string? label, int jobCount, int runs)
    {
        var tag = $"{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
        var directory = Path.Combine(Path.GetTempPath(), $"mrq-dashboard-latency-{tag}");
        var mongoUrl = Environment.GetEnvironmentVariable("MRQ_BENCH_MONGO") ?? "mongodb://127.0.0.1:27117";
        var database = $"mrqbench_dashlat_{tag}";
        var services = new ServiceCollection();
        services.AddMrq(mrq =>
        {
            if (backend == "litedb")
            {
                Directory.CreateDirectory(directory);
                mrq.UseLiteDb(Path.Combine(directory, "jobs.db"));
            }
            else
            {
                mrq.UseMongo(new MongoUrlBuilder(mongoUrl) { DatabaseName = database }.ToString());
                mrq.UseRedis(o =>
                {
                    o.Url = Environment.GetEnvironmentVariable("MRQ_BENCH_REDIS") ?? "redis://127.0.0.1:6390";
                    o.Prefix = $"mrqbenchdashlat{tag}";
                });
            }
        });
        services.AddMrqMonitoring();
        var provider = services.BuildServiceProvider();
        try
        {
            var monitor = provider.GetRequiredService<IMrqMonitor>();
            var storage = provider.GetRequiredService<MrqStorage>();
            await storage.InitializeAsync().ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var start = DateTime.UtcNow.AddDays(-1);
            for (var first = 0; first < jobCount; first += InsertBatch)
            {
                var batch = Enumerable.Range(first, Math.Min(InsertBatch, jobCount - first)).Select(i => DashboardQueryBenchmarks.Job(i, start)).ToList();
                await storage.Jobs.InsertAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }

            var name = label is null ? backend : $"{backend} ({label})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: stored {jobCount:N0} jobs in {clock.Elapsed.TotalSeconds:0.0} s"));
            var search = new JobSearch { Filter = new JobFilter { Queue = "q3", Statuses = [JobStatus.Failed] } };
            var overview = await TimeAsync(runs, () => monitor.GetOverviewAsync()).ConfigureAwait(false);
            var page = await TimeAsync(runs, () => monitor.SearchJobsAsync(search, skip: 40, limit: 20)).ConfigureAwait(false);
            var result = await monitor.SearchJobsAsync(search, skip: 40, limit: 20).ConfigureAwait(false);
            Console.WriteLine($"  overview (counts per queue and status, oldest queued, workers): {overview}");
            Console.WriteLine($"  jobs page (q3, failed, rows 41-60 of {result.Total:N0}, newest first):   {page}");
        }
        finally
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            if (backend == "mongo")
            {
                await new MongoClient(mongoUrl).DropDatabaseAsync(database).ConfigureAwait(false);
            }
        }
    }

    private static async Task<string> TimeAsync<T>(int runs, Func<Task<T>> read)
    {
        for (var i = 0; i < 3; i++)
        {
            await read().ConfigureAwait(false);
        }

        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await read().ConfigureAwait(false);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        var median = runs % 2 == 1 ? times[runs / 2] : (times[(runs / 2) - 1] + times[runs / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"median {median:0.0} ms, min {times[0]:0.0}, max {times[^1]:0.0} ({runs} runs)");
    }
}
