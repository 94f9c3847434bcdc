using System.Diagnostics;
using System.Globalization;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Workloads;

/// <summary>What a queued job costs at rest (issue 13 item 3 f) and how long a LiteDB file takes to open after a crash (g).</summary>
internal sealed partial class MrqWorkloads
{
    /// <summary>
    /// Bytes per queued no-op job after N were queued in batches of 1000 (nothing running): the LiteDB file and its
    /// log file (<c>bytes-file</c>), the process's managed heap after a full GC (<c>bytes-managed</c>: the in-memory
    /// storage holds its jobs there), and Redis's <c>used_memory</c> (<c>bytes-redis</c>, raw queue members).
    /// </summary>
    public Task<IReadOnlyList<Measurement>> FootprintAsync(string backend, int n, int rep) =>
        _recorder.MeasureAsync($"{backend} footprint N={n}", async () =>
        {
            await using var host = await BenchHost.StartAsync(_env, backend, 8, 0, null).ConfigureAwait(false);
            var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
            var redisBefore = backend is "redis" or "redis-stored" ? await RedisUsedMemoryAsync().ConfigureAwait(false) : 0;
            await host.EnqueueAsync("noop", n, batched: true).ConfigureAwait(false);
            var managed = (GC.GetTotalMemory(forceFullCollection: true) - managedBefore) / (double)n;
            var rows = new List<Measurement> { Mrq(backend, "bytes-managed", n, 8, rep, managed, "B/job") };
            if (host.LiteDbPath is { } path)
            {
                rows.Add(Mrq(backend, "bytes-file", n, 8, rep, LiteDbFilesBytes(path) / (double)n, "B/job"));
            }

            if (backend is "redis" or "redis-stored")
            {
                rows.Add(Mrq(backend, "bytes-redis", n, 8, rep, (await RedisUsedMemoryAsync().ConfigureAwait(false) - redisBefore) / (double)n, "B/job"));
            }

            return rows;
        });

    /// <summary>
    /// N no-op jobs queued on a LiteDB file; its data and log files are then copied while the engine still holds them
    /// (after the last commit, nothing being written: what a kill -9 at that moment leaves), and the copy is opened by
    /// a new engine: <c>recovery-open</c> = storage initialization (LiteDB replays its log), <c>recovery-first-job</c> =
    /// from the start of the open to the first job body on a worker started right after.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> RecoveryAsync(int n, int rep) =>
        _recorder.MeasureAsync($"litedb recovery N={n}", async () =>
        {
            var copy = _env.TempFile(string.Create(CultureInfo.InvariantCulture, $"mrq-crash-{Environment.ProcessId}x{_env.NextRun()}.db"));
            await using (var host = await BenchHost.StartAsync(_env, "litedb", 8, 0, null).ConfigureAwait(false))
            {
                await host.EnqueueAsync("noop", n, batched: true).ConfigureAwait(false);
                CopyWithLog(host.LiteDbPath!, copy);
            }

            var bytes = LiteDbFilesBytes(copy);
            var start = Stopwatch.GetTimestamp();
            SectionStats open;
            BenchHost reopened;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                reopened = await BenchHost.StartAsync(_env, "litedb", 8, 1, null, liteDbPath: copy).ConfigureAwait(false);
                open = section.Stop();
            }

            await using (reopened)
            {
                var run = await reopened.RunWorkerAsync(1).ConfigureAwait(false);
                var firstJob = reopened.Probe.FirstTimestamp == 0 ? double.NaN : Stopwatch.GetElapsedTime(start, reopened.Probe.FirstTimestamp).TotalMilliseconds;
                var note = string.Create(CultureInfo.InvariantCulture, $"files {MachineInfo.Mib(bytes)} at the copy") + (run.JobsRun == 1 ? "" : "; INCOMPLETE: no job ran after the reopen");
                return
                [
                    open.Into(Mrq("litedb", "recovery-open", n, 8, rep, open.Elapsed.TotalMilliseconds, "ms")) with { Note = note },
                    open.Into(Mrq("litedb", "recovery-first-job", n, 8, rep, firstJob, "ms")) with { Note = note },
                ];
            }
        });

    private async Task<long> RedisUsedMemoryAsync()
    {
        var db = await _env.RedisAdminAsync().ConfigureAwait(false);
        var info = (string)(await db.ExecuteAsync("INFO", "memory").ConfigureAwait(false))!;
        var line = info.Split('\n').First(l => l.StartsWith("used_memory:", StringComparison.Ordinal));
        return long.Parse(line["used_memory:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The LiteDB data file plus its log file (<c>name-log.db</c>), when present.</summary>
    private static long LiteDbFilesBytes(string path) =>
        new[] { path, LogFileOf(path) }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    private static void CopyWithLog(string path, string copy)
    {
        File.Copy(path, copy);
        if (File.Exists(LogFileOf(path)))
        {
            File.Copy(LogFileOf(path), LogFileOf(copy));
        }
    }

    private static string LogFileOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
}
