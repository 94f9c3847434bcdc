namespace Mrq.Workers;

/// <summary>
/// The fetch loop's back-pressure: jobs claimed and not yet done (running, or waiting for a greenlet) never exceed
/// greenlets + the policy's claims ahead. The window is recomputed at every claim, so it shrinks as soon as the policy
/// sees long jobs; jobs already claimed stay claimed until they run or a stop releases them.
/// </summary>
/// <remarks>One waiter (the fetch loop); any number of releasers (the executors).</remarks>
internal sealed class ClaimWindow
{
    private readonly Lock _gate = new();
    private readonly int _greenlets;
    private readonly ClaimAheadPolicy _policy;
    private int _inFlight;
    private long _waits;
    private TaskCompletionSource? _waiter;

    public ClaimWindow(int greenlets, ClaimAheadPolicy policy)
    {
        _greenlets = greenlets;
        _policy = policy;
    }

    /// <summary>Jobs claimed and not yet done.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How many times the fetch loop found the window full and waited (a test observes the loop this way).</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>The window now: greenlets + jobs claimed ahead.</summary>
    public int Size => _greenlets + _policy.ClaimAhead();

    /// <summary>
    /// Waits until the window has room, then reserves the room (at most <paramref name="max"/>) and returns how many
    /// jobs may be claimed (at least 1). Reserved places not filled go back with <see cref="Release"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async Task<int> AcquireAsync(long max, CancellationToken cancellationToken)
    {
        while (true)
        {
            var size = Size;
            Task wait;
            lock (_gate)
            {
                var free = size - _inFlight;
                if (free > 0)
                {
                    var reserved = (int)Math.Min(free, Math.Max(1, max));
                    _inFlight += reserved;
                    return reserved;
                }

                _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
                Interlocked.Increment(ref _waits);
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back <paramref name="count"/> places (jobs done, or reserved and not claimed), waking the fetch loop.</summary>
    public void Release(int count)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _inFlight -= count;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }
}
