using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Benchmarks.Workloads;

/// <summary>The realistic job's params: about 1 KB of JSON (an order with a customer and four lines).</summary>
internal sealed record RealisticParams(int Id, string Customer, IReadOnlyList<string> Lines);

/// <summary>The realistic job's result: about 1 KB of JSON.</summary>
internal sealed record RealisticResult(int Id, string Digest, string Summary);

/// <summary>
/// <c>bench.real</c>: typed params (~1 KB), one log line stored with the job, about 1 ms of CPU (hashing the params
/// until a millisecond has passed), a ~1 KB result; one job in a hundred throws, so its traceback is stored.
/// </summary>
internal sealed partial class RealisticTask(RunProbe probe) : MrqTask<RealisticParams, RealisticResult>
{
    /// <summary>One job in this many fails.</summary>
    public const int FailEvery = 100;

    private static readonly TimeSpan s_cpu = TimeSpan.FromMilliseconds(1);

    /// <summary>The params of job <paramref name="id"/>.</summary>
    public static RealisticParams ParamsFor(int id) => new(
        id,
        $"customer {id}: " + new string('c', 180),
        [.. Enumerable.Range(0, 4).Select(line => $"line {line} of order {id}: " + new string('l', 180))]);

    /// <summary>Whether job <paramref name="id"/> is one of the failing ones.</summary>
    public static bool Fails(int id) => id % FailEvery == FailEvery - 1;

    protected override ValueTask<RealisticResult> RunAsync(RealisticParams parameters, JobContext context)
    {
        LogProcessing(context.Log, parameters.Id, parameters.Lines.Count);
        var payload = Encoding.UTF8.GetBytes(parameters.Customer + string.Concat(parameters.Lines));
        // Hash in place, so the CPU loop allocates nothing and the job's allocations are the engine's and the JSON's.
        var digest = SHA256.HashData(payload);
        Span<byte> next = stackalloc byte[SHA256.HashSizeInBytes];
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < s_cpu)
        {
            SHA256.HashData(digest, next);
            next.CopyTo(digest);
        }

        probe.JobRan();
        if (Fails(parameters.Id))
        {
            throw new InvalidOperationException($"order {parameters.Id} failed on purpose (one job in {FailEvery})");
        }

        return ValueTask.FromResult(new RealisticResult(parameters.Id, Convert.ToHexString(digest), new string('s', 900)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "processing order {Id} with {Lines} lines")]
    private static partial void LogProcessing(ILogger logger, int id, int lines);
}
