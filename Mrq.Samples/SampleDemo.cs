using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Samples;

/// <summary>
/// The README demo: starts the sample host on a fresh LiteDB file, queues a mix of example jobs (plain, I/O-bound,
/// failing, retried, raw), waits until the hosted worker has finished them all, prints a summary and stops.
/// </summary>
public static class SampleDemo
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(2);

    /// <summary>Runs the demo; returns the process exit code.</summary>
    /// <param name="databasePath">The LiteDB file (deleted first, so each run starts empty).</param>
    /// <param name="args">Host configuration arguments (e.g. <c>--Mrq:greenlets=50</c>).</param>
    /// <param name="output">Where the summary goes.</param>
    /// <param name="keepServing">After the summary, keep the host (and its dashboard) running until Ctrl+C.</param>
    public static async Task<int> RunAsync(string databasePath, string[] args, TextWriter output, bool keepServing = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        DeleteDatabase(databasePath);
        using var host = SampleHost.Build(databasePath, args);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mrq.Samples");
        var client = host.Services.GetRequiredService<IJobClient>();
        await host.StartAsync().ConfigureAwait(false);
        var dashboard = SampleHost.DashboardUrl(host);
        output.WriteLine($"Mrq dashboard: {dashboard}");
        var clock = Stopwatch.StartNew();

        var adds = await client.QueueJobsAsync("samples.Add", Enumerable.Range(1, 500).Select(i => new JsonObject { ["a"] = i, ["b"] = i * 2 })).ConfigureAwait(false);
        var fetches = await client.QueueJobsAsync("samples.Fetch", Enumerable.Range(1, 100).Select(i => new JsonObject
        {
            ["url"] = $"https://example.com/page/{i}",
            ["delay_ms"] = 20 + (i * 37 % 180),
        })).ConfigureAwait(false);
        var fails = await client.QueueJobsAsync("samples.Fail", Enumerable.Range(1, 3).Select(i => new JsonObject { ["message"] = $"demo failure {i}" })).ConfigureAwait(false);
        var retries = await client.QueueJobsAsync("samples.Retry", Enumerable.Range(1, 3).Select(_ => new JsonObject { ["succeed_after"] = 2 })).ConfigureAwait(false);
        await client.QueueRawJobsAsync(SampleQueues.Raw, Enumerable.Range(1, 50).Select(i => i.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
        logger.LogInformation("Queued {Count} jobs and 50 raw jobs; waiting for the worker.", adds.Count + fetches.Count + fails.Count + retries.Count);

        var counts = await WaitUntilIdleAsync(client).ConfigureAwait(false);
        var elapsed = clock.Elapsed;

        var total = counts.Values.Sum();
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mrq demo: {total} jobs in {elapsed.TotalSeconds:0.00} s ({total / elapsed.TotalSeconds:0} jobs/s) on {databasePath}"));
        output.WriteLine("  by status: " + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key.ToMrqName()} {c.Value}")));
        await WriteResultAsync(client, output, "samples.Add", adds[0]).ConfigureAwait(false);
        await WriteResultAsync(client, output, "samples.Add", adds[^1]).ConfigureAwait(false);
        await WriteResultAsync(client, output, "samples.Fetch", fetches[0]).ConfigureAwait(false);
        await WriteResultAsync(client, output, "samples.Retry", retries[0]).ConfigureAwait(false);
        var failed = await client.GetJobAsync(fails[0]).ConfigureAwait(false);
        output.WriteLine($"  samples.Fail  {fails[0]} -> {failed?.Status.ToMrqName()} ({failed?.ExceptionType})");
        if (keepServing)
        {
            output.WriteLine($"Open {dashboard} to see the jobs, the failed ones' tracebacks and the worker. Ctrl+C to stop.");
            await host.WaitForShutdownAsync().ConfigureAwait(false);
        }
        else
        {
            await host.StopAsync().ConfigureAwait(false);
        }

        // The README's install line comes later: this command works from the repository right after the demo.
        output.WriteLine($"Inspect it: dotnet run --project Mrq.Cli -- jobs --storage {databasePath}   (or: … -- dashboard --storage {databasePath})");
        return counts.Keys.All(s => s is JobStatus.Success or JobStatus.Failed) ? 0 : 1;
    }

    private static async Task<Dictionary<JobStatus, long>> WaitUntilIdleAsync(IJobClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var stats = await client.GetQueueStatsAsync().ConfigureAwait(false);
            var pending = stats.Where(s => s.Status is JobStatus.Queued or JobStatus.Started or JobStatus.Retry).Sum(s => s.Count);
            if (pending == 0)
            {
                return stats.Where(s => !QueueNames.IsRaw(s.Queue)).GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Sum(s => s.Count));
            }

            if (deadline.Elapsed > s_deadline)
            {
                throw new TimeoutException($"The demo's jobs did not finish within {s_deadline.TotalSeconds} s ({pending} left).");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static async Task WriteResultAsync(IJobClient client, TextWriter output, string path, JobId id)
    {
        var result = await client.GetJobResultAsync(id).ConfigureAwait(false);
        output.WriteLine($"  {path,-13} {id} -> {result?.Status.ToMrqName()} {result?.Result?.ToJsonString()}");
    }

    private static void DeleteDatabase(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        var journal = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));
        foreach (var file in new[] { databasePath, journal })
        {
            File.Delete(file);
        }
    }
}
