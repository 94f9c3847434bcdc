namespace Mrq.Storage.InMemory;

/// <summary>A <c>_raw</c> queue: a FIFO list that keeps duplicates (Redis RPUSH/LPOP).</summary>
internal sealed class RawList : RawQueue
{
    private Queue<string> _items = new();

    /// <inheritdoc/>
    public override int Count => _items.Count;

    /// <inheritdoc/>
    public override void Push(IReadOnlyList<RawQueueItem> items, double[]? scores)
    {
        foreach (var item in items)
        {
            _items.Enqueue(item.Member);
        }
    }

    /// <inheritdoc/>
    public override List<string> Pop(int maxCount, double dueScore, double? pushbackScore)
    {
        var popped = new List<string>(Math.Min(maxCount, _items.Count));
        while (popped.Count < maxCount && _items.TryDequeue(out var member))
        {
            popped.Add(member);
        }

        return popped;
    }

    /// <inheritdoc/>
    public override List<RawQueueItem> List(int skip, int limit) =>
        _items.Skip(skip).Take(limit).Select(static m => new RawQueueItem(m)).ToList();

    /// <inheritdoc/>
    public override long Remove(IReadOnlyList<string> members)
    {
        var remove = members.ToHashSet(StringComparer.Ordinal);
        var kept = new Queue<string>(_items.Count);
        long removed = 0;
        foreach (var member in _items)
        {
            if (remove.Contains(member))
            {
                removed++;
            }
            else
            {
                kept.Enqueue(member);
            }
        }

        _items = kept;
        return removed;
    }
}
