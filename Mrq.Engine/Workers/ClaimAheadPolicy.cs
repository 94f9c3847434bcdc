namespace Mrq.Workers;

/// <summary>
/// How many jobs a worker claims ahead of its free greenlets. Fixed when <c>prefetch</c> is set; otherwise adaptive:
/// only as many jobs as the greenlets are expected to start within the horizon, judged by each greenlet's recent run
/// times. The horizon is <see cref="MinHorizon"/>, or twice the recent claim time when claims take longer (a loaded
/// machine, a distant server), at most <see cref="MaxHorizon"/>: the jobs claimed ahead must cover the next claim's
/// round trip, or the greenlets idle while it is in flight and the measured rate, hence the claims ahead, shrink
/// together. Short jobs (a storage round trip runs many of them) are claimed ahead in batches, so the greenlets
/// never wait for a claim; long jobs are not claimed ahead at all, so MRQ's "started = running" holds for them. A
/// greenlet whose current job has run well past its usual time counts as busy for the whole horizon, so a switch from
/// short to long jobs stops claims ahead within milliseconds, before the long jobs' run times are known.
/// </summary>
/// <remarks>
/// Each greenlet writes only its own slot (no lock on the job path); the fetch loop reads all slots when it computes
/// the window. Run times come from <see cref="TimeProvider"/> timestamps, so tests drive the policy with a fake clock.
/// </remarks>
internal sealed class ClaimAheadPolicy
{
    /// <summary>Jobs are claimed ahead only if they are expected to start within this time (or two claim times, when longer).</summary>
    public static readonly TimeSpan MinHorizon = TimeSpan.FromMilliseconds(5);

    /// <summary>The horizon never exceeds this, however slow the claims.</summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromMilliseconds(50);

    /// <summary>The most jobs the adaptive policy claims ahead (the benchmarks' best tuned prefetch).</summary>
    public const int AdaptiveCap = 128;

    // Weight of a new run time in a greenlet's moving average: about the last 8 jobs count.
    private const double Smoothing = 0.125;

    // Run times below this are treated as this (a fake or coarse clock measures 0).
    private static readonly double s_minRunSeconds = TimeSpan.FromMicroseconds(1).TotalSeconds;

    private readonly TimeProvider _time;
    private readonly int? _fixed;
    private readonly double[] _meanRunSeconds;
    private readonly long[] _runningSince;
    private double _claimSeconds;

    /// <param name="greenlets">Concurrent executions of the worker.</param>
    /// <param name="fixedPrefetch">The <c>prefetch</c> option: a fixed number of jobs claimed ahead, or null for adaptive.</param>
    /// <param name="time">The clock run times are measured with.</param>
    public ClaimAheadPolicy(int greenlets, int? fixedPrefetch, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(greenlets, 1);
        _time = time;
        _fixed = fixedPrefetch;
        _meanRunSeconds = new double[greenlets];
        _runningSince = new long[greenlets];
    }

    /// <summary>True when the number of jobs claimed ahead follows run times (no <c>prefetch</c> set).</summary>
    public bool IsAdaptive => _fixed is null;

    /// <summary>The largest number of jobs this policy ever claims ahead.</summary>
    public int Max => _fixed ?? AdaptiveCap;

    /// <summary>Greenlet <paramref name="greenlet"/> started a job now.</summary>
    public void Started(int greenlet) => Volatile.Write(ref _runningSince[greenlet], Math.Max(1, _time.GetTimestamp()));

    /// <summary>Greenlet <paramref name="greenlet"/> ended the job it started; its run time joins the greenlet's average.</summary>
    public void Ended(int greenlet)
    {
        var since = Volatile.Read(ref _runningSince[greenlet]);
        if (since == 0)
        {
            return;
        }

        var seconds = Math.Max(s_minRunSeconds, _time.GetElapsedTime(since).TotalSeconds);
        var mean = Volatile.Read(ref _meanRunSeconds[greenlet]);
        Volatile.Write(ref _meanRunSeconds[greenlet], mean == 0 ? seconds : mean + ((seconds - mean) * Smoothing));
        Volatile.Write(ref _runningSince[greenlet], 0);
    }

    /// <summary>A claim starts now: the value to pass to <see cref="ClaimEnded"/>.</summary>
    public long ClaimStarting() => _time.GetTimestamp();

    /// <summary>The claim started at <paramref name="started"/> (<see cref="ClaimStarting"/>) returned.</summary>
    public void ClaimEnded(long started) => ClaimTook(_time.GetElapsedTime(started));

    /// <summary>The fetch loop's claim (one storage round trip, or a few for several queues) took <paramref name="elapsed"/>.</summary>
    public void ClaimTook(TimeSpan elapsed)
    {
        var mean = Volatile.Read(ref _claimSeconds);
        Volatile.Write(ref _claimSeconds, mean == 0 ? elapsed.TotalSeconds : mean + ((elapsed.TotalSeconds - mean) * Smoothing));
    }

    /// <summary>The time within which jobs claimed ahead are expected to start.</summary>
    public TimeSpan Horizon => TimeSpan.FromSeconds(Math.Clamp(2 * Volatile.Read(ref _claimSeconds), MinHorizon.TotalSeconds, MaxHorizon.TotalSeconds));

    /// <summary>
    /// Jobs to claim beyond the greenlets now: the fixed prefetch, or the sum over greenlets of the jobs each is
    /// expected to start within <see cref="Horizon"/> (horizon ÷ its mean run time), capped at <see cref="AdaptiveCap"/>.
    /// A greenlet with no run time yet, or whose current job has run longer than the horizon plus twice its mean,
    /// contributes nothing.
    /// </summary>
    public int ClaimAhead()
    {
        if (_fixed is { } fixedPrefetch)
        {
            return fixedPrefetch;
        }

        var now = _time.GetTimestamp();
        var horizon = Horizon.TotalSeconds;
        var expected = 0.0;
        for (var i = 0; i < _meanRunSeconds.Length; i++)
        {
            var mean = Volatile.Read(ref _meanRunSeconds[i]);
            if (mean == 0)
            {
                continue;
            }

            var since = Volatile.Read(ref _runningSince[i]);
            if (since != 0 && _time.GetElapsedTime(since, now).TotalSeconds > horizon + (2 * mean))
            {
                continue;
            }

            expected += horizon / mean;
            if (expected >= AdaptiveCap)
            {
                return AdaptiveCap;
            }
        }

        return (int)expected;
    }
}
