using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mrq.Benchmarks.Workloads;

/// <summary>Totals of time spent in each timed storage call (for <c>--profile</c>): calls, items, elapsed.</summary>
internal sealed class JobStoreTimer
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Add(string call, int items, long startTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp).Ticks;
        var entry = _entries.GetOrAdd(call, static _ => new Entry());
        Interlocked.Increment(ref entry.Calls);
        Interlocked.Add(ref entry.Items, items);
        Interlocked.Add(ref entry.Ticks, elapsed);
    }

    public void Reset() => _entries.Clear();

    /// <summary>One line per call: count, items, total ms, µs per item, share of the wall time.</summary>
    public string Describe(TimeSpan wall)
    {
        var text = new StringBuilder();
        foreach (var (call, entry) in _entries.OrderByDescending(e => e.Value.Ticks))
        {
            var total = TimeSpan.FromTicks(entry.Ticks);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    {call,-22} {entry.Calls,8:N0} calls {entry.Items,10:N0} items {total.TotalMilliseconds,10:N1} ms " +
                $"{(entry.Items == 0 ? 0 : total.TotalMicroseconds / entry.Items),8:N1} µs/item {(wall.Ticks == 0 ? 0 : 100.0 * entry.Ticks / wall.Ticks),6:N1} % of wall");
        }

        return text.ToString();
    }

    private sealed class Entry
    {
#pragma warning disable SA1401, CA1051 // Interlocked needs fields.
        public long Calls;
        public long Items;
        public long Ticks;
#pragma warning restore SA1401, CA1051
    }
}
