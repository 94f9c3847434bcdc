using System.Globalization;
using System.Text.Json.Nodes;
using LiteDB;
using Mrq.Benchmarks.Runner;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.LiteDb;

namespace Mrq.Benchmarks.Baselines;

/// <summary>
/// The like-for-like LiteDB floor: the same work per job as Mrq, done by hand on the same disk, with no engine around
/// it. Same file settings (<c>Connection=direct</c>, ordinal collation, a new file per run, no fsync), Mrq's document
/// shape (<c>JobDocuments.ToDocument</c>, with the status key and its index), then per job exactly one insert and one
/// update: enqueue = inserts in transactions of <see cref="EnqueueBatch"/> (Mrq's <c>QueueJobsAsync</c> batches);
/// processing = per <see cref="CompleteGroup"/> jobs one transaction that reads the next queued ones from the status
/// key index (Mrq's claim read) and writes each as <c>success</c> with Mrq's outcome fields and a new status key in one
/// <c>Update</c> call (Mrq's grouped completion). Single-threaded: no worker, no tasks, no channel.
/// </summary>
internal sealed class LiteDbBaseline
{
    /// <summary>Jobs per insert transaction: the runner's <c>QueueJobsAsync</c> batch.</summary>
    public const int EnqueueBatch = 1000;

    /// <summary>Outcomes per update transaction: the largest group Mrq's completion batcher writes.</summary>
    public const int CompleteGroup = 512;

    private const string Queue = "bench";
    private readonly BenchEnvironment _env;
    private readonly Recorder _recorder;

    public LiteDbBaseline(BenchEnvironment env, Recorder recorder)
    {
        _env = env;
        _recorder = recorder;
    }

    /// <summary>
    /// Timed: the inserts (<c>insert</c>), the claim reads + updates (<c>claim-update</c>) and N over both
    /// (<c>insert-update</c>), after untimed passes of the same size, each on its own file, until one is no more than 5 % faster
    /// than the best before it (2 to 6 passes): in a fresh process the floor kept speeding up over several passes (tiered
    /// JIT; 13,684 → 22,838 jobs/s from the first timed pass to the third at N = 10,000), and a single warm pass over a tenth
    /// of N had left quick-mode floors below Mrq itself.
    /// With <paramref name="flushToDisk"/>, every commit is followed by an fsync of LiteDB's log file, as Mrq's
    /// <c>FlushToDisk</c> does per group commit, and the metrics carry the <c>-fsync</c> suffix.
    /// </summary>
    public Task<IReadOnlyList<Measurement>> InsertThenUpdateAsync(int n, int rep, bool flushToDisk = false) =>
        _recorder.MeasureAsync(flushToDisk ? "litedb insert+update, fsync" : "litedb insert+update", () =>
        {
            WarmUntilSteady(n, flushToDisk);
            var (insert, update, done) = RunOnce(n, flushToDisk);
            var note = done == n ? "" : $"INCOMPLETE: {done} of {n}";
            var whole = insert.Elapsed + update.Elapsed;
            var suffix = flushToDisk ? Workloads.MrqWorkloads.FsyncSuffix : "";
            return Task.FromResult<IReadOnlyList<Measurement>>(
            [
                insert.Into(Baseline("insert" + suffix, n, rep, n / insert.Elapsed.TotalSeconds, "jobs/s"), n),
                update.Into(Baseline("claim-update" + suffix, n, rep, done / update.Elapsed.TotalSeconds, "jobs/s"), n) with { Note = note },
                update.Into(Baseline("insert-update" + suffix, n, rep, done / whole.TotalSeconds, "jobs/s"), n) with { Seconds = whole.TotalSeconds, Note = note },
            ]);
        });

    private void WarmUntilSteady(int n, bool flushToDisk)
    {
        var best = TimeSpan.MaxValue;
        for (var pass = 1; pass <= 6; pass++)
        {
            var (insert, update, _) = RunOnce(n, flushToDisk);
            var elapsed = insert.Elapsed + update.Elapsed;
            var steady = pass >= 2 && elapsed.TotalSeconds >= best.TotalSeconds / 1.05;
            best = elapsed < best ? elapsed : best;
            if (steady)
            {
                return;
            }
        }
    }

    private (SectionStats Insert, SectionStats Update, int Done) RunOnce(int n, bool flushToDisk)
    {
        var path = _env.TempFile($"baseline-{Environment.ProcessId}x{_env.NextRun()}.db");
        try
        {
            using var db = Open(path);
            using var journal = flushToDisk ? new JournalFlusher(LiteDbDatabase.JournalPathOf(path)) : null;
            var jobs = db.GetCollection(LiteDbCollections.Jobs, BsonAutoId.ObjectId);
            jobs.EnsureIndex(JobFields.StatusKey, JobFields.StatusKeyPath);
            SectionStats insert;
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                Insert(db, jobs, n, journal);
                insert = section.Stop();
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            using (var section = TimedSection.Start(_recorder.Cpu))
            {
                var done = ClaimAndComplete(db, jobs, journal);
                return (insert, section.Stop(), done);
            }
        }
        finally
        {
            BenchEnvironment.DeleteWithSideFiles(path);
        }
    }

    private static void Insert(LiteDatabase db, ILiteCollection<BsonDocument> jobs, int n, JournalFlusher? journal)
    {
        var batch = new List<BsonDocument>(EnqueueBatch);
        for (var i = 0; i < n; i++)
        {
            var now = DateTime.UtcNow;
            batch.Add(JobDocuments.ToDocument(new JobRecord
            {
                Id = JobId.NewId(now),
                Path = "bench.noop",
                Params = new JsonObject { ["i"] = i },
                Queue = Queue,
                Status = JobStatus.Queued,
                DateQueued = now,
                DateExpires = now.AddDays(7),
            }));
            if (batch.Count == EnqueueBatch || i == n - 1)
            {
                db.BeginTrans();
                jobs.Insert(batch);
                db.Commit();
                journal?.Flush();
                batch.Clear();
            }
        }
    }

    private static int ClaimAndComplete(LiteDatabase db, ILiteCollection<BsonDocument> jobs, JournalFlusher? journal)
    {
        var queued = Query.Between(
            JobFields.StatusKeyPath,
            StatusKey.QueueStart(JobStatus.Queued, Queue),
            StatusKey.QueueEnd(JobStatus.Queued, Queue));
        var done = 0;
        while (true)
        {
            db.BeginTrans();
            var group = jobs.Find(queued, 0, CompleteGroup).ToList();
            var now = DateTime.UtcNow;
            foreach (var doc in group)
            {
                doc[MrqJobFields.Status] = "success";
                doc[MrqJobFields.DateStarted] = now;
                doc[MrqJobFields.DateUpdated] = now;
                doc[MrqJobFields.DateExpires] = now.AddDays(7);
                doc[MrqJobFields.Worker] = "baseline";
                doc[MrqJobFields.TotalTime] = 0.0001;
                JobDocuments.RefreshStatusKey(doc);
            }

            if (group.Count > 0)
            {
                jobs.Update(group);
            }

            db.Commit();
            journal?.Flush();
            if (group.Count == 0)
            {
                return done;
            }

            done += group.Count;
        }
    }

    /// <summary>Opens a file as Mrq opens its own: direct connection, ordinal collation, dates read as UTC.</summary>
    private static LiteDatabase Open(string path) => new(new ConnectionString
    {
        Filename = path,
        Connection = ConnectionType.Direct,
        Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
    })
    {
        UtcDate = true,
    };

    private static Measurement Baseline(string metric, int n, int rep, double value, string unit) => new()
    {
        System = "Baseline",
        Backend = "litedb",
        Metric = metric,
        N = n,
        W = 1,
        Rep = rep,
        Value = value,
        Unit = unit,
    };
}
