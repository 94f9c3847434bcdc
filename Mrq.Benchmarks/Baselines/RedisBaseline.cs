using Mrq.Benchmarks.Runner;
using StackExchange.Redis;

namespace Mrq.Benchmarks.Baselines;

/// <summary>
/// The plain single-connection round-trip loop on the same Redis: N awaited LPUSH calls one after the other, then
/// N awaited LPOP calls (StackExchange.Redis, one multiplexer = one connection, one command in flight).
/// </summary>
internal sealed class RedisBaseline
{
    private readonly BenchEnvironment _env;
    private readonly Recorder _recorder;

    public RedisBaseline(BenchEnvironment env, Recorder recorder)
    {
        _env = env;
        _recorder = recorder;
    }

    public Task<IReadOnlyList<Measurement>> LoopAsync(int n, int rep) =>
        _recorder.MeasureAsync("redis lpush/lpop loop", async () =>
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(_env.RedisEndpoint).ConfigureAwait(false);
            var db = redis.GetDatabase(_env.RedisDatabase);
            RedisKey key = $"mrqbench{Environment.ProcessId}x{_env.NextRun()}:plain_raw";
            try
            {
                SectionStats push;
                using (var section = TimedSection.Start(_recorder.Cpu))
                {
                    for (var i = 0; i < n; i++)
                    {
                        await db.ListLeftPushAsync(key, i).ConfigureAwait(false);
                    }

                    push = section.Stop();
                }

                SectionStats pop;
                var popped = 0;
                using (var section = TimedSection.Start(_recorder.Cpu))
                {
                    while (!(await db.ListLeftPopAsync(key).ConfigureAwait(false)).IsNull)
                    {
                        popped++;
                    }

                    pop = section.Stop();
                }

                return
                [
                    push.Into(Baseline("lpush", n, rep, n / push.Elapsed.TotalSeconds)),
                    pop.Into(Baseline("lpop", n, rep, popped / pop.Elapsed.TotalSeconds)) with { Note = popped == n ? "" : $"popped {popped} of {n}" },
                ];
            }
            finally
            {
                await db.KeyDeleteAsync(key).ConfigureAwait(false);
            }
        });

    private static Measurement Baseline(string metric, int n, int rep, double value) => new()
    {
        System = "Baseline",
        Backend = "redis",
        Metric = metric,
        N = n,
        W = 1,
        Rep = rep,
        Value = value,
        Unit = "ops/s",
    };
}
