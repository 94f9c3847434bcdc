using Mrq.Benchmarks.Runner;
using StackExchange.Redis;

namespace Mrq.Benchmarks.Baselines;

/// <summary>
/// Redis floors on the same server, with StackExchange.Redis (one multiplexer = one connection), after an untimed
/// warm-up pass of each loop:
/// <list type="bullet">
/// <item><c>lpush</c>: N awaited single LPUSH calls one after the other (the floor of a one-job-per-call enqueue).</item>
/// <item><c>lpop-count</c>: a list of N short members, popped by awaited <c>LPOP key count</c> calls one after the
/// other, count = <see cref="PopBatch"/> (the most Mrq's raw-queue fetch asks for at W = 8 with prefetch 128).</item>
/// <item><c>lpop-pipelined</c>: the same list popped by <see cref="PipelinedLoops"/> concurrent loops of awaited single
/// LPOPs, which the multiplexer pipelines on its one connection.</item>
/// </list>
/// The pop floors count members popped per second: what a consumer that does nothing with them could reach.
/// </summary>
internal sealed class RedisBaseline
{
    /// <summary>Members per <c>LPOP key count</c> call.</summary>
    public const int PopBatch = 136;

    /// <summary>Concurrent single-LPOP loops in the pipelined floor.</summary>
    public const int PipelinedLoops = 64;

    private const int FillBatch = 1000;
    private readonly BenchEnvironment _env;
    private readonly Recorder _recorder;

    public RedisBaseline(BenchEnvironment env, Recorder recorder)
    {
        _env = env;
        _recorder = recorder;
    }

    public Task<IReadOnlyList<Measurement>> LoopsAsync(int n, int rep) =>
        _recorder.MeasureAsync("redis lpush loop, lpop count, pipelined lpop", async () =>
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(_env.RedisEndpoint).ConfigureAwait(false);
            var db = redis.GetDatabase(_env.RedisDatabase);
            RedisKey key = $"mrqbench{Environment.ProcessId}x{_env.NextRun()}:plain_raw";
            try
            {
                // Warm-up: each loop once on a tenth of N, untimed.
                var warm = Math.Max(100, n / 10);
                await PushLoopAsync(db, key, warm).ConfigureAwait(false);
                await PopCountAsync(db, key).ConfigureAwait(false);
                await FillAsync(db, key, warm).ConfigureAwait(false);
                await PopPipelinedAsync(db, key).ConfigureAwait(false);

                SectionStats push;
                using (var section = TimedSection.Start(_recorder.Cpu))
                {
                    await PushLoopAsync(db, key, n).ConfigureAwait(false);
                    push = section.Stop();
                }

                await db.KeyDeleteAsync(key).ConfigureAwait(false);
                await FillAsync(db, key, n).ConfigureAwait(false);
                SectionStats popCount;
                long poppedCount;
                using (var section = TimedSection.Start(_recorder.Cpu))
                {
                    poppedCount = await PopCountAsync(db, key).ConfigureAwait(false);
                    popCount = section.Stop();
                }

                await FillAsync(db, key, n).ConfigureAwait(false);
                SectionStats popPipelined;
                long poppedPipelined;
                using (var section = TimedSection.Start(_recorder.Cpu))
                {
                    poppedPipelined = await PopPipelinedAsync(db, key).ConfigureAwait(false);
                    popPipelined = section.Stop();
                }

                return
                [
                    push.Into(Baseline("lpush", n, rep, n / push.Elapsed.TotalSeconds, "ops/s"), n),
                    popCount.Into(Baseline("lpop-count", n, rep, poppedCount / popCount.Elapsed.TotalSeconds, "members/s"), n) with { Note = Popped(poppedCount, n) },
                    popPipelined.Into(Baseline("lpop-pipelined", n, rep, poppedPipelined / popPipelined.Elapsed.TotalSeconds, "members/s"), n) with { Note = Popped(poppedPipelined, n) },
                ];
            }
            finally
            {
                await db.KeyDeleteAsync(key).ConfigureAwait(false);
            }
        });

    private static string Popped(long popped, int n) => popped == n ? "" : $"INCOMPLETE: popped {popped} of {n}";

    private static async Task PushLoopAsync(IDatabase db, RedisKey key, int n)
    {
        for (var i = 0; i < n; i++)
        {
            await db.ListLeftPushAsync(key, i).ConfigureAwait(false);
        }
    }

    /// <summary>Untimed: RPUSH of N short members in batches.</summary>
    private static async Task FillAsync(IDatabase db, RedisKey key, int n)
    {
        for (var start = 0; start < n; start += FillBatch)
        {
            var count = Math.Min(FillBatch, n - start);
            var members = new RedisValue[count];
            for (var i = 0; i < count; i++)
            {
                members[i] = "m" + (start + i);
            }

            await db.ListRightPushAsync(key, members).ConfigureAwait(false);
        }
    }

    private static async Task<long> PopCountAsync(IDatabase db, RedisKey key)
    {
        long popped = 0;
        while (true)
        {
            var members = await db.ListLeftPopAsync(key, PopBatch).ConfigureAwait(false);
            if (members is null || members.Length == 0)
            {
                return popped;
            }

            popped += members.Length;
        }
    }

    private static async Task<long> PopPipelinedAsync(IDatabase db, RedisKey key)
    {
        var loops = new Task<long>[PipelinedLoops];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = PopOneAtATimeAsync(db, key);
        }

        long popped = 0;
        foreach (var count in await Task.WhenAll(loops).ConfigureAwait(false))
        {
            popped += count;
        }

        return popped;
    }

    private static async Task<long> PopOneAtATimeAsync(IDatabase db, RedisKey key)
    {
        long popped = 0;
        while (!(await db.ListLeftPopAsync(key).ConfigureAwait(false)).IsNull)
        {
            popped++;
        }

        return popped;
    }

    private static Measurement Baseline(string metric, int n, int rep, double value, string unit) => new()
    {
        System = "Baseline",
        Backend = "redis",
        Metric = metric,
        N = n,
        W = metric == "lpop-pipelined" ? PipelinedLoops : 1,
        Rep = rep,
        Value = value,
        Unit = unit,
    };
}
