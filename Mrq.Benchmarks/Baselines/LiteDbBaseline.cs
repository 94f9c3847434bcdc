using LiteDB;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Baselines;

/// <summary>
/// LiteDB's own speed on this disk (peers-measured.md B2), in the same temp directory as Mrq's LiteDB files:
/// <c>Connection=direct</c>, a new file per run, documents {path, params{a,b}, queue, status, datequeued} with an
/// index on status. InsertBulk = N documents in one call (5000 per internal transaction). Claim+complete batched =
/// per 100 jobs one transaction (find queued, limit 100, update each to started) and a second (update each to success).
/// </summary>
internal sealed class LiteDbBaseline
{
    private const int ClaimBatch = 100;
    private readonly BenchEnvironment _env;
    private readonly Recorder _recorder;

    public LiteDbBaseline(BenchEnvironment env, Recorder recorder)
    {
        _env = env;
        _recorder = recorder;
    }

    public Task<IReadOnlyList<Measurement>> InsertBulkAsync(int n, int rep) =>
        _recorder.MeasureAsync("litedb insertbulk", () =>
        {
            var path = _env.TempFile($"baseline-{Environment.ProcessId}x{_env.NextRun()}.db");
            try
            {
                using var db = Open(path);
                var jobs = db.GetCollection("mrq_jobs");
                jobs.EnsureIndex("status");
                var docs = Documents(n);
                using var section = TimedSection.Start(_recorder.Cpu);
                jobs.InsertBulk(docs, 5000);
                var stats = section.Stop();
                return Task.FromResult<IReadOnlyList<Measurement>>(
                    [stats.Into(Baseline("insertbulk", n, rep, n / stats.Elapsed.TotalSeconds, "docs/s"))]);
            }
            finally
            {
                BenchEnvironment.DeleteWithSideFiles(path);
            }
        });

    public Task<IReadOnlyList<Measurement>> ClaimCompleteBatchedAsync(int n, int rep) =>
        _recorder.MeasureAsync("litedb claim+complete", () =>
        {
            var path = _env.TempFile($"baseline-{Environment.ProcessId}x{_env.NextRun()}.db");
            try
            {
                using var db = Open(path);
                var jobs = db.GetCollection("mrq_jobs");
                jobs.EnsureIndex("status");
                jobs.InsertBulk(Documents(n), 5000);
                var done = 0;
                using var section = TimedSection.Start(_recorder.Cpu);
                while (true)
                {
                    db.BeginTrans();
                    var batch = jobs.Find(Query.EQ("status", "queued"), 0, ClaimBatch).ToList();
                    foreach (var doc in batch)
                    {
                        doc["status"] = "started";
                        doc["datestarted"] = DateTime.UtcNow;
                        doc["worker"] = "baseline";
                        jobs.Update(doc);
                    }

                    db.Commit();
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    db.BeginTrans();
                    foreach (var doc in batch)
                    {
                        doc["status"] = "success";
                        doc["dateupdated"] = DateTime.UtcNow;
                        jobs.Update(doc);
                    }

                    db.Commit();
                    done += batch.Count;
                }

                var stats = section.Stop();
                var note = done == n ? "" : $"INCOMPLETE: {done} of {n}";
                return Task.FromResult<IReadOnlyList<Measurement>>(
                    [stats.Into(Baseline("claim-complete-batched", n, rep, done / stats.Elapsed.TotalSeconds, "jobs/s")) with { Note = note }]);
            }
            finally
            {
                BenchEnvironment.DeleteWithSideFiles(path);
            }
        });

    private static LiteDatabase Open(string path) => new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });

    private static List<BsonDocument> Documents(int n)
    {
        var now = DateTime.UtcNow;
        var docs = new List<BsonDocument>(n);
        for (var i = 0; i < n; i++)
        {
            docs.Add(new BsonDocument
            {
                ["path"] = "bench.noop",
                ["params"] = new BsonDocument { ["a"] = i, ["b"] = "x" },
                ["queue"] = "default",
                ["status"] = "queued",
                ["datequeued"] = now,
            });
        }

        return docs;
    }

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
