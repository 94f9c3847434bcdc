using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Redis.StackExchange;
using Hangfire.Storage.SQLite;
using Mrq.Benchmarks.Runner;
using StackExchange.Redis;

namespace Mrq.Benchmarks.Peers;

/// <summary>Fresh Hangfire storages per run, and the idle latency measurement.</summary>
internal sealed partial class HangfireRunner
{
    private const int LatencyWorkers = 8;

    /// <summary>
    /// Enqueue→start latency on an idle server (WorkerCount = 8): one probe at a time, a 1–5 ms pause after each
    /// start. Latency = from just before <c>Enqueue</c> to the start of the job method.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> LatencyAsync(string storage, int samples, int rep) =>
        _recorder.MeasureAsync($"hangfire {storage} latency", async () =>
        {
            await using var handle = await CreateStorageAsync(storage).ConfigureAwait(false);
            var client = new BackgroundJobClient(handle.Storage);
            _ = HangfireJobs.Expect(long.MaxValue);
            using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = LatencyWorkers, SchedulePollingInterval = TimeSpan.FromSeconds(1) }, handle.Storage);
            await ProbeAsync(client, 5).ConfigureAwait(false);
            HangfireJobs.TakeLatency();
            SectionStats stats;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                await ProbeAsync(client, samples).ConfigureAwait(false);
                stats = section.Stop();
            }

            var idle = HangfireJobs.TakeLatency();
            server.SendStop();
            return
            [
                stats.Into(Peer(storage, "latency-idle-p50", (int)idle.Count, LatencyWorkers, rep, idle.P50, "ms")),
                stats.Into(Peer(storage, "latency-idle-p95", (int)idle.Count, LatencyWorkers, rep, idle.P95, "ms")),
                stats.Into(Peer(storage, "latency-idle-p99", (int)idle.Count, LatencyWorkers, rep, idle.P99, "ms")),
            ];
        });

    private static async Task ProbeAsync(BackgroundJobClient client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var started = HangfireJobs.ArmProbe();
            var timestamp = Stopwatch.GetTimestamp();
            client.Enqueue(() => HangfireJobs.Probe(timestamp));
            await started.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await Task.Delay(1 + Random.Shared.Next(5)).ConfigureAwait(false);
        }
    }

    private async Task<StorageHandle> CreateStorageAsync(string storage)
    {
        var tag = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}x{_env.NextRun()}");
        switch (storage)
        {
            case "inmemory":
                {
                    var memory = new InMemoryStorage(new InMemoryStorageOptions());
                    return new StorageHandle(memory, () =>
                    {
                        memory.Dispose();
                        return Task.CompletedTask;
                    });
                }

            case "sqlite":
                {
                    var path = _env.TempFile($"hangfire-{tag}.db");
                    var sqlite = new SQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(100) });
                    return new StorageHandle(sqlite, () =>
                    {
                        sqlite.Dispose();
                        BenchEnvironment.DeleteWithSideFiles(path);
                        return Task.CompletedTask;
                    });
                }

            case "redis":
                {
                    var multiplexer = await ConnectionMultiplexer.ConnectAsync(_env.RedisEndpoint).ConfigureAwait(false);
                    var prefix = $"{{hfbench{tag}}}:";
                    var redis = new RedisStorage(multiplexer, new RedisStorageOptions { Prefix = prefix, Db = _env.RedisDatabase });
                    return new StorageHandle(redis, async () =>
                    {
                        await multiplexer.DisposeAsync().ConfigureAwait(false);
                        await _env.DeleteRedisKeysAsync(prefix + "*").ConfigureAwait(false);
                    });
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(storage), storage, "Unknown Hangfire storage.");
        }
    }

    /// <summary>A Hangfire storage for one run and how to remove it.</summary>
    private sealed class StorageHandle(JobStorage storage, Func<Task> cleanup) : IAsyncDisposable
    {
        public JobStorage Storage { get; } = storage;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await cleanup().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await Console.Error.WriteLineAsync($"  (cleaning up a Hangfire storage failed: {ex.Message})").ConfigureAwait(false);
            }
        }
    }
}
