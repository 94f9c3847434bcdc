namespace Mrq.Storage.InMemory;

/// <summary>
/// A <c>_set</c> queue: unique members. Redis pops them in random order (SPOP); this one pops in insertion order,
/// which is one of the orders the SPI allows and keeps pops O(1).
/// </summary>
internal sealed class RawSet : RawQueue
{
    private readonly LinkedList<string> _order = new();
    private readonly Dictionary<string, LinkedListNode<string>> _nodes = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int Count => _nodes.Count;

    /// <inheritdoc/>
    public override void Push(IReadOnlyList<RawQueueItem> items, double[]? scores)
    {
        foreach (var item in items)
        {
            if (!_nodes.ContainsKey(item.Member))
            {
                _nodes.Add(item.Member, _order.AddLast(item.Member));
            }
        }
    }

    /// <inheritdoc/>
    public override List<string> Pop(int maxCount, double dueScore, double? pushbackScore)
    {
        var popped = new List<string>(Math.Min(maxCount, _nodes.Count));
        while (popped.Count < maxCount && _order.First is { } first)
        {
            _order.RemoveFirst();
            _nodes.Remove(first.Value);
            popped.Add(first.Value);
        }

        return popped;
    }

    /// <inheritdoc/>
    public override List<RawQueueItem> List(int skip, int limit) =>
        _order.Skip(skip).Take(limit).Select(static m => new RawQueueItem(m)).ToList();

    /// <inheritdoc/>
    public override long Remove(IReadOnlyList<string> members)
    {
        long removed = 0;
        foreach (var member in members)
        {
            if (_nodes.Remove(member, out var node))
            {
                _order.Remove(node);
                removed++;
            }
        }

        return removed;
    }
}
