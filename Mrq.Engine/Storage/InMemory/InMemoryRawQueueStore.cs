namespace Mrq.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="IRawQueueStore"/>: MRQ's four raw queue types, typed by the root name's suffix
/// (<see cref="QueueNames.RawType"/>), under one lock so each call is atomic. An emptied queue is dropped, as Redis
/// drops an empty key; known subqueues stay until forgotten.
/// </summary>
internal sealed class InMemoryRawQueueStore : IRawQueueStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RawQueue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _knownSubqueues = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask PushAsync(string queue, IReadOnlyList<RawQueueItem> items, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(items);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        double[]? scores;
        RawQueueType type;
        try
        {
            type = TypeOf(queue);
            foreach (var item in items)
            {
                if (item?.Member is null)
                {
                    throw new ArgumentException("A raw queue item or its member is null.", nameof(items));
                }
            }

            scores = ScoresOf(queue, type, items, now);
        }
        catch (ArgumentException ex)
        {
            return ValueTask.FromException(ex);
        }

        if (items.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var contents))
            {
                contents = RawQueue.Create(type);
                _queues.Add(queue, contents);
            }

            contents.Push(items, scores);
            var root = QueueNames.Root(queue);
            if (root.Length != queue.Length)
            {
                if (!_knownSubqueues.TryGetValue(root, out var known))
                {
                    known = new HashSet<string>(StringComparer.Ordinal);
                    _knownSubqueues.Add(root, known);
                }

                known.Add(queue);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> PopAsync(string queue, int maxCount, DateTime now, TimeSpan? pushback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<string>>(cancellationToken);
        }

        RawQueueType type;
        try
        {
            type = TypeOf(queue);
            ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        }
        catch (ArgumentException ex)
        {
            return ValueTask.FromException<IReadOnlyList<string>>(ex);
        }

        // Only a timed set is due-limited and pushed back; a sorted set pops whatever its scores.
        var nowScore = UtcDates.UnixSeconds(now);
        var due = type == RawQueueType.TimedSet ? nowScore : double.PositiveInfinity;
        double? pushbackScore = type == RawQueueType.TimedSet && pushback is { } delay ? nowScore + delay.TotalSeconds : null;
        lock (_gate)
        {
            if (maxCount == 0 || !_queues.TryGetValue(queue, out var contents))
            {
                return new(Array.Empty<string>());
            }

            var popped = contents.Pop(maxCount, due, pushbackScore);
            if (contents.Count == 0)
            {
                _queues.Remove(queue);
            }

            return new(popped);
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> SizeAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        if (!QueueNames.IsRaw(queue))
        {
            return ValueTask.FromException<long>(NotRaw(queue));
        }

        lock (_gate)
        {
            return new(_queues.TryGetValue(queue, out var contents) ? contents.Count : 0L);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<RawQueueItem>> ListAsync(string queue, int skip, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<RawQueueItem>>(cancellationToken);
        }

        try
        {
            TypeOf(queue);
            ArgumentOutOfRangeException.ThrowIfNegative(skip);
            ArgumentOutOfRangeException.ThrowIfNegative(limit);
        }
        catch (ArgumentException ex)
        {
            return ValueTask.FromException<IReadOnlyList<RawQueueItem>>(ex);
        }

        lock (_gate)
        {
            return _queues.TryGetValue(queue, out var contents)
                ? new(contents.List(skip, limit))
                : new(Array.Empty<RawQueueItem>());
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> RemoveAsync(string queue, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(members);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        if (!QueueNames.IsRaw(queue))
        {
            return ValueTask.FromException<long>(NotRaw(queue));
        }

        lock (_gate)
        {
            if (members.Count == 0 || !_queues.TryGetValue(queue, out var contents))
            {
                return new(0L);
            }

            var removed = contents.Remove(members);
            if (contents.Count == 0)
            {
                _queues.Remove(queue);
            }

            return new(removed);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> KnownSubqueuesAsync(string rootQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rootQueue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<string>>(cancellationToken);
        }

        List<string> subqueues;
        lock (_gate)
        {
            subqueues = _knownSubqueues.TryGetValue(QueueNames.Root(rootQueue), out var known) ? [.. known] : [];
        }

        subqueues.Sort(StringComparer.Ordinal);
        return new(subqueues);
    }

    /// <inheritdoc/>
    public ValueTask<bool> ForgetSubqueueAsync(string rootQueue, string subqueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rootQueue);
        ArgumentNullException.ThrowIfNull(subqueue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        lock (_gate)
        {
            // An emptied queue is dropped from _queues, so a queue still there holds members.
            var root = QueueNames.Root(rootQueue);
            if (_queues.ContainsKey(subqueue) || !_knownSubqueues.TryGetValue(root, out var known) || !known.Remove(subqueue))
            {
                return new(false);
            }

            if (known.Count == 0)
            {
                _knownSubqueues.Remove(root);
            }

            return new(true);
        }
    }

    private static RawQueueType TypeOf(string queue)
    {
        var type = QueueNames.RawType(queue);
        return type != RawQueueType.None ? type : throw NotRaw(queue);
    }

    private static ArgumentException NotRaw(string queue) =>
        new($"'{queue}' is not a raw queue: its root name must end in _raw, _set, _sorted_set or _timed_set.", nameof(queue));

    /// <summary>The score of each item for a scored type (a timed set defaults to now), or null for unscored types.</summary>
    private static double[]? ScoresOf(string queue, RawQueueType type, IReadOnlyList<RawQueueItem> items, DateTime now)
    {
        if (type is not (RawQueueType.SortedSet or RawQueueType.TimedSet))
        {
            return null;
        }

        var nowScore = UtcDates.UnixSeconds(now);
        var scores = new double[items.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            var item = items[i];
            scores[i] = item.Score ?? (type == RawQueueType.TimedSet
                ? nowScore
                : throw new ArgumentException($"Member '{item.Member}' of sorted set '{queue}' has no score.", nameof(items)));
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Member '{item.Member}' of '{queue}' has a NaN score.", nameof(items));
            }
        }

        return scores;
    }
}
