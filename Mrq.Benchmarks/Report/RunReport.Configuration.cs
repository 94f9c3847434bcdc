using System.Globalization;
using System.Text;
using Mrq.Benchmarks.Peers;

namespace Mrq.Benchmarks.Report;

/// <summary>How each system was configured, notes and failures.</summary>
internal sealed partial class RunReport
{
    private void Configuration(StringBuilder md)
    {
        md.AppendLine("## Configuration");
        md.AppendLine();
        var prefetch = _options.PrefetchLabel;
        md.AppendLine("**Mrq**: built as an application builds it, `services.AddMrq(b => b.Use…())`, with MRQ's default options except `greenlets` = W, `prefetch` = " +
            prefetch + " (jobs claimed ahead of free greenlets; Mrq's default is adaptive: only jobs expected to start within ~5 ms by recent run times, at most 128; MRQ claims none ahead; the tuned rows use " +
            _options.TunedPrefetch.ToString(CultureInfo.InvariantCulture) + "), " +
            "`max_jobs` = N (the worker returns once N jobs are claimed, run and their outcomes saved) and the queue. Maintenance, worker reports " +
            "(every 10 s) and the paused-queue refresh run as by default. Tasks are registered functions: `bench.noop` returns null (like Hangfire's " +
            "void no-op, so no result field is written; status, dates, worker and totaltime are), `bench.io` awaits `Task.Delay(10)`, `bench.probe` " +
            "records its latency. Params are `{\"i\": n}`.");
        md.AppendLine();
        md.AppendLine("- LiteDB: `b.UseLiteDb(file)`, a new file per run in the temp directory (the fsync probe's directory); `FlushToDisk` off (the product's default is on; `--fsync-row` adds rows with it on): " +
            "each group commit is written to the file and handed to the OS (survives a process crash; no fsync, unlike SQLite's synchronous=FULL).");
        md.AppendLine("- in-memory: `b.UseInMemoryStorage()`.");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- Redis raw queue: `b.UseMongo(url/newdb).UseRedis(o => {{ o.Url = …; o.Prefix = unique }})` and `b.AddRawQueue(\"…_raw\", factory, o => …)` " +
            $"(the `_raw` list type). Redis-only path: `o.StatusesNoStorage = [started, success]` — a successful job never gets a document; " +
            $"stored: every status in Mongo ({_servers.MongoLabel}), the document inserted when the member is popped.");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- Mongo regular queue: `b.UseMongo(url/newdb).UseRedis(…)` ({_servers.MongoLabel}); claims read the head ids, then take them with one updateMany and a read back (findOneAndUpdate each for up to 3).");
        md.AppendLine("- Worker wake-ups: in-process signal (LiteDB, in-memory), Redis notify lists with BLPOP (Redis, Mongo).");
        md.AppendLine();
        md.AppendLine("**Hangfire** (tuned as in peers-measured.md), in a fresh process per storage and repetition (`Mrq.Benchmarks peer-hangfire`; its GC settings are in every Hangfire row's CSV note): " + HangfireRunner.Configuration);
        md.AppendLine();
        md.AppendLine("**Redis / Mongo / LiteDB isolation**: every run uses its own LiteDB file, Redis key prefix (and queue names, since `queuesize:` keys are not prefixed) " +
            "and Mongo database, all deleted after the run, outside the timed sections.");
        md.AppendLine();
        if (_notes.Count > 0 || _recorder.Failures.Count > 0 || _results.All.Any(m => m.Note.Contains("INCOMPLETE", StringComparison.Ordinal) || m.Note.Contains("STALLED", StringComparison.Ordinal)))
        {
            md.AppendLine("## Failures and notes");
            md.AppendLine();
            foreach (var note in _notes)
            {
                md.AppendLine("- " + note);
            }

            foreach (var failure in _recorder.Failures)
            {
                md.AppendLine("- failed: " + failure);
            }

            foreach (var m in _results.All.Where(m => m.Note.Contains("INCOMPLETE", StringComparison.Ordinal) || m.Note.Contains("STALLED", StringComparison.Ordinal)))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {m.System} {m.Backend} {m.Metric} N={m.N:N0} W={m.W} rep {m.Rep}: {m.Note}");
            }

            md.AppendLine();
        }
    }
}
