namespace Mrq.Tests.Faults;

/// <summary>
/// One fault on a storage method: which calls it hits (method name, an argument predicate, the nth matching call)
/// and what it does (throw before the call, hang or delay, call the inner store then throw = half-apply, or run a
/// callback before/after). Built fluently from <see cref="StorageFaults.On"/>.
/// </summary>
internal sealed class FaultRule
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<object?[], bool> _when = static _ => true;
    private int? _nth;
    private int _times = int.MaxValue;
    private int _matches;
    private int _hits;

    public FaultRule(string method)
    {
        Method = method;
    }

    public string Method { get; }

    /// <summary>How many calls this rule acted on.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Completes on the first call the rule acts on.</summary>
    public Task FirstHit => _hit.Task;

    internal Func<object?[], Task>? Before { get; private set; }

    internal Func<object?[], object?, Task>? After { get; private set; }

    /// <summary>Only calls whose arguments match.</summary>
    public FaultRule When(Func<object?[], bool> predicate)
    {
        _when = predicate;
        return this;
    }

    /// <summary>Only the nth matching call (1-based).</summary>
    public FaultRule OnCall(int nth)
    {
        _nth = nth;
        return this;
    }

    /// <summary>At most <paramref name="count"/> calls, then the store behaves normally again.</summary>
    public FaultRule Times(int count)
    {
        _times = count;
        return this;
    }

    /// <summary>Throws before the inner store is called (nothing applied).</summary>
    public FaultRule Throws(Func<Exception> error)
    {
        Before = _ => Task.FromException(error());
        return this;
    }

    /// <summary>Calls the inner store, then throws (applied, reply lost).</summary>
    public FaultRule HalfApplies(Func<Exception> error)
    {
        After = (_, _) => Task.FromException(error());
        return this;
    }

    /// <summary>Waits until <see cref="Release"/> or the call's cancellation token, then calls the inner store.</summary>
    public FaultRule Hangs()
    {
        Before = args => _released.Task.WaitAsync(TokenOf(args));
        return this;
    }

    /// <summary>Waits <paramref name="delay"/> (or the call's cancellation) before calling the inner store.</summary>
    public FaultRule Delays(TimeSpan delay)
    {
        Before = args => Task.Delay(delay, TokenOf(args));
        return this;
    }

    /// <summary>Runs <paramref name="callback"/> before the inner store is called.</summary>
    public FaultRule BeforeCall(Action<object?[]> callback)
    {
        Before = args =>
        {
            callback(args);
            return Task.CompletedTask;
        };
        return this;
    }

    /// <summary>Runs <paramref name="callback"/> with the arguments and the inner store's result.</summary>
    public FaultRule AfterCall(Action<object?[], object?> callback)
    {
        After = (args, result) =>
        {
            callback(args, result);
            return Task.CompletedTask;
        };
        return this;
    }

    /// <summary>Lets hanging calls go on.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>True when the rule acts on this call (the caller already matched the part and method name).</summary>
    internal bool Matches(object?[] args)
    {
        if (!_when(args))
        {
            return false;
        }

        var match = Interlocked.Increment(ref _matches);
        if (_nth is { } nth ? match != nth : match > _times)
        {
            return false;
        }

        Interlocked.Increment(ref _hits);
        _hit.TrySetResult();
        return true;
    }

    private static CancellationToken TokenOf(object?[] args) => args.OfType<CancellationToken>().FirstOrDefault();
}
