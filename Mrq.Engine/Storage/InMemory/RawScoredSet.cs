namespace Mrq.Storage.InMemory;

/// <summary>
/// A <c>_sorted_set</c> or <c>_timed_set</c> queue: unique members ordered by score, then by member (as Redis orders a
/// ZSET). A timed set pops only members due at the given score (now, in Unix seconds).
/// </summary>
internal sealed class RawScoredSet : RawQueue
{
    private static readonly Comparer<(double Score, string Member)> s_order = Comparer<(double Score, string Member)>.Create(
        static (x, y) =>
        {
            var c = x.Score.CompareTo(y.Score);
            return c != 0 ? c : string.CompareOrdinal(x.Member, y.Member);
        });

    private readonly SortedSet<(double Score, string Member)> _order = new(s_order);
    private readonly Dictionary<string, double> _scores = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int Count => _scores.Count;

    /// <inheritdoc/>
    public override void Push(IReadOnlyList<RawQueueItem> items, double[]? scores)
    {
        for (var i = 0; i < items.Count; i++)
        {
            Set(items[i].Member, scores![i]);
        }
    }

    /// <inheritdoc/>
    public override List<string> Pop(int maxCount, double dueScore, double? pushbackScore)
    {
        var popped = new List<string>(Math.Min(maxCount, _scores.Count));
        foreach (var (score, member) in _order)
        {
            if (popped.Count == maxCount || score > dueScore)
            {
                break;
            }

            popped.Add(member);
        }

        foreach (var member in popped)
        {
            if (pushbackScore is { } later)
            {
                Set(member, later);
            }
            else
            {
                _order.Remove((_scores[member], member));
                _scores.Remove(member);
            }
        }

        return popped;
    }

    /// <inheritdoc/>
    public override List<RawQueueItem> List(int skip, int limit) =>
        _order.Skip(skip).Take(limit).Select(static e => new RawQueueItem(e.Member, e.Score)).ToList();

    /// <inheritdoc/>
    public override long Remove(IReadOnlyList<string> members)
    {
        long removed = 0;
        foreach (var member in members)
        {
            if (_scores.Remove(member, out var score))
            {
                _order.Remove((score, member));
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Adds a member or moves it to a new score.</summary>
    private void Set(string member, double score)
    {
        if (_scores.TryGetValue(member, out var old))
        {
            _order.Remove((old, member));
        }

        _scores[member] = score;
        _order.Add((score, member));
    }
}
