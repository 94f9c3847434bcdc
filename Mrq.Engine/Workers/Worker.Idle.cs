namespace Mrq.Workers;

/// <summary>
/// MRQ's <c>wait_for_idle</c> (the admin port's <c>/wait_for_idle</c>): returns once, at the same time, the worker
/// waits for jobs, runs none and saves none, and one more claim pass, after a forced subqueue refresh, found nothing.
/// </summary>
internal sealed partial class Worker
{
    private static readonly TimeSpan s_idlePoll = TimeSpan.FromMilliseconds(10);

    // A claim pass the fetch loop is asked to report on: it completes with the number of jobs claimed (-1 when the
    // loop ended or the pass failed).
    private TaskCompletionSource<int>? _idleProbe;
    private CancellationTokenSource? _idleWake;

    /// <summary>Waits until the worker is idle, MRQ's way (see the type).</summary>
    public async Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(s_idlePoll, _time, cancellationToken).ConfigureAwait(false);
            if (!LooksIdle())
            {
                continue;
            }

            var probe = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            probe = Interlocked.CompareExchange(ref _idleProbe, probe, null) ?? probe;
            try
            {
                Volatile.Read(ref _idleWake)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The fetch loop's wait already ended: it will see the probe before its next wait.
            }

            var claimed = await probe.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (claimed == 0 && LooksIdle())
            {
                return;
            }
        }
    }

    private bool LooksIdle() => _status == "wait" && _running.IsEmpty && _saving.IsEmpty;

    /// <summary>Takes the pending probe at the start of a claim pass; the pass runs after a forced subqueue refresh.</summary>
    private TaskCompletionSource<int>? TakeIdleProbe()
    {
        var probe = Interlocked.Exchange(ref _idleProbe, null);
        if (probe is not null)
        {
            _subqueuesRefreshedAt = DateTime.MinValue;
        }

        return probe;
    }

    /// <summary>A token for the fetch loop's idle wait that a probe cancels; null when a probe is already waiting.</summary>
    private CancellationTokenSource? BeginIdleWait(CancellationToken stop)
    {
        var wake = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Volatile.Write(ref _idleWake, wake);
        if (Volatile.Read(ref _idleProbe) is null)
        {
            return wake;
        }

        EndIdleWait(wake);
        return null;
    }

    private void EndIdleWait(CancellationTokenSource wake)
    {
        Interlocked.CompareExchange(ref _idleWake, null, wake);
        wake.Dispose();
    }

    /// <summary>The fetch loop ended: nobody will answer a probe.</summary>
    private void FailIdleProbe() => Interlocked.Exchange(ref _idleProbe, null)?.TrySetResult(-1);
}
