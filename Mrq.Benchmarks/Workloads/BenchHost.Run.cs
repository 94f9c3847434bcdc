using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mrq.Tasks;
using Mrq.Workers;

namespace Mrq.Benchmarks.Workloads;

/// <summary>Queueing the benchmark jobs and running workers.</summary>
internal sealed partial class BenchHost
{
    /// <summary>How long a run may go without any job finishing before it is stopped as stuck.</summary>
    private static readonly TimeSpan s_stallLimit = TimeSpan.FromSeconds(60);

    /// <summary>Queues <paramref name="count"/> jobs of a kind (<c>noop</c> or <c>io</c>): one call each, or batches of 1000.</summary>
    public async Task EnqueueAsync(string kind, int count, bool batched)
    {
        var path = kind == "io" ? "bench.io" : "bench.noop";
        var letter = kind == "io" ? "i" : "n";
        if (Raw)
        {
            if (batched)
            {
                await Client.QueueRawJobsAsync(Queue, Members(letter, count), 1000).ConfigureAwait(false);
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    await Client.QueueRawJobsAsync(Queue, [letter + i.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
                }
            }
        }
        else if (batched)
        {
            await Client.QueueJobsAsync(path, Params(count), Queue, 1000).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                await Client.QueueJobAsync(path, new JsonObject { ["i"] = i }, Queue).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Queues <paramref name="count"/> realistic jobs (<c>bench.real</c>, ids 0..count-1) in batches of 1000.</summary>
    public Task EnqueueRealisticAsync(int count) =>
        Client.QueueJobsAsync("bench.real", Enumerable.Range(0, count).Select(id => JsonSerializer.SerializeToNode(RealisticTask.ParamsFor(id), MrqJson.Options)!.AsObject()), Queue, 1000);

    /// <summary>Queues one latency probe carrying <paramref name="timestamp"/>.</summary>
    public Task EnqueueProbeAsync(long timestamp) => Raw
        ? Client.QueueRawJobsAsync(Queue, ["p" + timestamp.ToString(CultureInfo.InvariantCulture)])
        : Client.QueueJobAsync("bench.probe", new JsonObject { ["t"] = timestamp.ToString(CultureInfo.InvariantCulture) }, Queue);

    /// <summary>
    /// Runs a worker (whose max_jobs is <paramref name="expected"/>) from start until it returns, i.e. until every
    /// outcome is saved. A run where no job finishes for a minute is stopped and reported.
    /// </summary>
    public async Task<WorkerRunResult> RunWorkerAsync(int expected)
    {
        _ = Probe.ExpectAsync(expected);
        var worker = CreateWorker();
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        var run = worker.RunAsync(stop.Token, abort.Token);
        var stalled = false;
        var lastCount = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(500)).ConfigureAwait(false);
            var count = Probe.Count;
            if (count != lastCount)
            {
                lastCount = count;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (!run.IsCompleted && Stopwatch.GetElapsedTime(lastProgress) > s_stallLimit)
            {
                stalled = true;
                await stop.CancelAsync().ConfigureAwait(false);
                break;
            }
        }

        var reason = await run.ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        (worker as IDisposable)?.Dispose();
        var first = Probe.FirstTimestamp;
        return new WorkerRunResult(
            elapsed,
            first == 0 ? null : Stopwatch.GetElapsedTime(start, first),
            Probe.Count,
            reason,
            stalled);
    }

    /// <summary>Starts a worker without a job limit (for latency runs); stop it with the returned handle.</summary>
    public BackgroundWorker StartBackgroundWorker() => new(CreateWorker());

    private static IEnumerable<JsonObject> Params(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new JsonObject { ["i"] = i };
        }
    }

    private static IEnumerable<string> Members(string letter, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return letter + i.ToString(CultureInfo.InvariantCulture);
        }
    }
}
