using System.Globalization;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// One worker process of a scale-out run: <c>peer-mrq-worker BACKEND TAG W [throughput options]</c>. It opens the
/// parent's queue (same names, see <see cref="BenchHost.Tag"/>), prints <c>READY</c>, starts its worker on a <c>GO</c>
/// line from stdin, and stops gracefully (running jobs finish) when stdin closes; then it prints how many jobs it ran
/// and when its first and last jobs ran (UTC ticks, sampled every 2 ms).
/// </summary>
internal static class ScaleOutWorker
{
    public static async Task<int> RunChildAsync(IReadOnlyList<string> args)
    {
        if (args.Count < 3 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var greenlets))
        {
            await Console.Error.WriteLineAsync("usage: peer-mrq-worker BACKEND TAG GREENLETS [throughput options]").ConfigureAwait(false);
            return 2;
        }

        var options = RunnerOptions.Parse(args.Skip(3).ToArray());
        await using var env = new BenchEnvironment(options);
        await using var host = await BenchHost.StartAsync(env, args[0], greenlets, 0, null, sharedTag: args[1]).ConfigureAwait(false);
        _ = host.Probe.ExpectAsync(long.MaxValue);
        Console.WriteLine("READY");
        if (await Console.In.ReadLineAsync().ConfigureAwait(false) != "GO")
        {
            return 1;
        }

        long first = 0, last = 0, seen = 0;
        await using (var worker = host.StartBackgroundWorker())
        {
            // Console.In's async reads complete synchronously: read to the end on a thread of its own, so sampling goes on.
            var stdinClosed = Task.Factory.StartNew(() => Console.In.ReadToEnd(), TaskCreationOptions.LongRunning);
            while (!stdinClosed.IsCompleted)
            {
                Sample();
                await Task.WhenAny(stdinClosed, Task.Delay(2)).ConfigureAwait(false);
            }

            await worker.StopAsync().ConfigureAwait(false);
            Sample();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RAN {host.Probe.Count} {first} {last}"));
        return 0;

        void Sample()
        {
            var count = host.Probe.Count;
            if (count != seen)
            {
                var now = DateTime.UtcNow.Ticks;
                first = first == 0 ? now : first;
                last = now;
                seen = count;
            }
        }
    }
}
