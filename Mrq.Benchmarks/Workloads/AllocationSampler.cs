using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace Mrq.Benchmarks.Workloads;

/// <summary>
/// For <c>--profile</c>: the runtime's GC AllocationTick events (one per ~100 KB allocated, naming the type that
/// crossed the mark) summed by type, so the biggest allocators show without a profiler installed. A sample, not a
/// count: types allocated often are named in proportion to the bytes they take.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public void Reset() => _bytes.Clear();

    /// <summary>The top types by sampled bytes, per job.</summary>
    public string Describe(int jobs, int top = 25)
    {
        var total = _bytes.Values.Sum();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"    sampled allocations: {(double)total / jobs:N0} B/job");
        foreach (var (type, bytes) in _bytes.OrderByDescending(e => e.Value).Take(top))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {(double)bytes / jobs,10:N0} B/job {100.0 * bytes / Math.Max(1, total),5:N1} %  {type}");
        }

        return text.ToString();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var names = eventData.PayloadNames!;
        var type = "?";
        long amount = 0;
        for (var i = 0; i < names.Count; i++)
        {
            switch (names[i])
            {
                case "TypeName":
                    type = eventData.Payload[i] as string ?? "?";
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToInt64(eventData.Payload[i], CultureInfo.InvariantCulture);
                    break;
                case "AllocationAmount" when amount == 0:
                    amount = Convert.ToInt64(eventData.Payload[i], CultureInfo.InvariantCulture);
                    break;
            }
        }

        _bytes.AddOrUpdate(type, amount, (_, old) => old + amount);
    }
}
