using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// Channel hand-off from the fetcher to W executors, per item: the worker's scheme (an unbounded channel written by one
/// fetcher that first takes a slot from a SemaphoreSlim of W slots, each executor releasing its slot when done) against
/// a plain bounded channel of capacity W. 10,000 items per invocation; figures are per item.
/// </summary>
[MemoryDiagnoser]
public class HandoffBenchmarks
{
    private const int Items = 10_000;

    /// <summary>Executors (greenlets).</summary>
    [Params(1, 8, 100)]
    public int W { get; set; }

    /// <summary>Unbounded channel + slots semaphore (what Worker does).</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    public async Task SemaphoreAndUnboundedChannel()
    {
        using var slots = new SemaphoreSlim(W, W);
        var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleWriter = true });
        var item = new object();
        var consumers = Enumerable.Range(0, W).Select(_ => Task.Run(async () =>
        {
            await foreach (var next in channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                Consume(next);
                slots.Release();
            }
        })).ToArray();
        for (var i = 0; i < Items; i++)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            channel.Writer.TryWrite(item);
        }

        channel.Writer.Complete();
        await Task.WhenAll(consumers).ConfigureAwait(false);
    }

    /// <summary>A bounded channel of capacity W (back-pressure from the channel itself).</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    public async Task BoundedChannel()
    {
        var channel = Channel.CreateBounded<object>(new BoundedChannelOptions(W) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var item = new object();
        var consumers = Enumerable.Range(0, W).Select(_ => Task.Run(async () =>
        {
            await foreach (var next in channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                Consume(next);
            }
        })).ToArray();
        for (var i = 0; i < Items; i++)
        {
            await channel.Writer.WriteAsync(item).ConfigureAwait(false);
        }

        channel.Writer.Complete();
        await Task.WhenAll(consumers).ConfigureAwait(false);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Consume(object item) => GC.KeepAlive(item);
}
