using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Baselines;

/// <summary>
/// The plain <c>findOneAndUpdate</c> dequeue loop on the same Mongo server: N queued documents shaped like MRQ's,
/// then one awaited <c>findOneAndUpdate({status: queued, queue}, sort {datequeued, _id}, $set started)</c> after
/// another until none is left. A new database per run, dropped after.
/// </summary>
internal sealed class MongoBaseline
{
    private readonly BenchEnvironment _env;
    private readonly Recorder _recorder;

    public MongoBaseline(BenchEnvironment env, Recorder recorder)
    {
        _env = env;
        _recorder = recorder;
    }

    public Task<IReadOnlyList<Measurement>> LoopAsync(int n, int rep) =>
        _recorder.MeasureAsync("mongo findOneAndUpdate loop", async () =>
        {
            var name = $"mrqbench_plain_{Environment.ProcessId}x{_env.NextRun()}";
            var jobs = _env.MongoAdmin.GetDatabase(name).GetCollection<BsonDocument>("mrq_jobs");
            try
            {
                var now = DateTime.UtcNow;
                var docs = Enumerable.Range(0, n).Select(i => new BsonDocument
                {
                    ["path"] = "bench.noop",
                    ["params"] = new BsonDocument("i", i),
                    ["queue"] = "default",
                    ["status"] = "queued",
                    ["datequeued"] = now,
                });
                await jobs.InsertManyAsync(docs).ConfigureAwait(false);
                var filter = Builders<BsonDocument>.Filter.Eq("status", "queued") & Builders<BsonDocument>.Filter.Eq("queue", "default");
                var options = new FindOneAndUpdateOptions<BsonDocument>
                {
                    Sort = new BsonDocument { { "datequeued", 1 }, { "_id", 1 } },
                    ReturnDocument = ReturnDocument.After,
                };
                var claimed = 0;
                using var section = TimedSection.Start(_recorder.Cpu);
                while (true)
                {
                    var update = Builders<BsonDocument>.Update.Set("status", "started").Set("datestarted", DateTime.UtcNow).Set("worker", "baseline");
                    if (await jobs.FindOneAndUpdateAsync(filter, update, options).ConfigureAwait(false) is null)
                    {
                        break;
                    }

                    claimed++;
                }

                var stats = section.Stop();
                return
                [
                    stats.Into(new Measurement
                    {
                        System = "Baseline",
                        Backend = "mongo",
                        Metric = "findoneandupdate",
                        N = n,
                        W = 1,
                        Rep = rep,
                        Value = claimed / stats.Elapsed.TotalSeconds,
                        Unit = "ops/s",
                        Note = claimed == n ? "" : $"claimed {claimed} of {n}",
                    }),
                ];
            }
            finally
            {
                await _env.DropMongoDatabaseAsync(name).ConfigureAwait(false);
            }
        });
}
