using Microsoft.Extensions.Time.Testing;
using Mrq.Workers;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>The adaptive prefetch policy and the claim window, driven by a fake clock (no wall-clock timing).</summary>
[TestFixture]
public sealed class ClaimAheadPolicyTests
{
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public void FixedPrefetch_IsReturnedWhateverTheRunTimes()
    {
        var policy = new ClaimAheadPolicy(2, 7, _time);
        Run(policy, 0, TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(policy.ClaimAhead(), Is.EqualTo(7));
            Assert.That(policy.IsAdaptive, Is.False);
            Assert.That(policy.Max, Is.EqualTo(7));
            Assert.That(new ClaimAheadPolicy(2, 0, _time).ClaimAhead(), Is.Zero, "prefetch 0 is MRQ's behaviour");
        });
    }

    [Test]
    public void Adaptive_NoRunTimeYet_ClaimsNothingAhead()
    {
        var policy = new ClaimAheadPolicy(8, null, _time);
        Assert.That(policy.ClaimAhead(), Is.Zero, "a worker knows nothing of its jobs before the first ends: started = running");
        policy.Started(0);
        Assert.That(policy.ClaimAhead(), Is.Zero);
    }

    [Test]
    public void Adaptive_ShortJobs_ClaimWhatStartsWithinTheHorizon()
    {
        var policy = new ClaimAheadPolicy(2, null, _time);
        Run(policy, 0, TimeSpan.FromMilliseconds(1));
        Assert.That(policy.ClaimAhead(), Is.EqualTo(5), "one greenlet at 1 ms per job starts 5 jobs in 5 ms");
        Run(policy, 1, TimeSpan.FromMilliseconds(0.5));
        Assert.That(policy.ClaimAhead(), Is.EqualTo(15), "5 + 10");
    }

    [Test]
    public void Adaptive_VeryShortJobs_AreCappedAndAZeroClockReadingCounts()
    {
        var policy = new ClaimAheadPolicy(8, null, _time);
        Run(policy, 0, TimeSpan.FromMicroseconds(10));
        Assert.That(policy.ClaimAhead(), Is.EqualTo(ClaimAheadPolicy.AdaptiveCap));
        var frozen = new ClaimAheadPolicy(1, null, _time);
        Run(frozen, 0, TimeSpan.Zero);
        Assert.That(frozen.ClaimAhead(), Is.EqualTo(ClaimAheadPolicy.AdaptiveCap), "a clock that did not move means a very short job");
    }

    [Test]
    public void Adaptive_LongJobs_ClaimNothingAhead()
    {
        var policy = new ClaimAheadPolicy(8, null, _time);
        for (var i = 0; i < 8; i++)
        {
            Run(policy, i, TimeSpan.FromMilliseconds(100));
        }

        Assert.That(policy.ClaimAhead(), Is.Zero, "8 greenlets × 5 ms ÷ 100 ms = 0.4: no job would start within the horizon");
    }

    [Test]
    public void Adaptive_AGreenletRunningPastItsUsualTime_StopsCountingBeforeItsJobEnds()
    {
        var policy = new ClaimAheadPolicy(2, null, _time);
        Run(policy, 0, TimeSpan.FromMilliseconds(1));
        Run(policy, 1, TimeSpan.FromMilliseconds(1));
        Assert.That(policy.ClaimAhead(), Is.EqualTo(10));

        policy.Started(0);
        policy.Started(1);
        _time.Advance(TimeSpan.FromMilliseconds(6));
        Assert.That(policy.ClaimAhead(), Is.EqualTo(10), "6 ms is within horizon 5 ms + 2 × the 1 ms mean");
        _time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.That(policy.ClaimAhead(), Is.Zero, "both greenlets run long jobs: nothing is claimed ahead");

        policy.Ended(1);
        Assert.That(policy.ClaimAhead(), Is.EqualTo(2), "the 8 ms job raised greenlet 1's mean to 1.875 ms (5 ms ÷ 1.875 ms); greenlet 0 still runs long");
        Run(policy, 1, TimeSpan.FromMilliseconds(1));
        Assert.That(policy.ClaimAhead(), Is.EqualTo(2), "greenlet 1: 5 ms ÷ 1.77 ms; greenlet 0 still excluded");
    }

    [Test]
    public void Adaptive_AfterALongJob_ClaimsShrinkAtOnceAndRecoverWithShortJobs()
    {
        var policy = new ClaimAheadPolicy(1, null, _time);
        Run(policy, 0, TimeSpan.FromMilliseconds(1));
        Run(policy, 0, TimeSpan.FromSeconds(1));
        Assert.That(policy.ClaimAhead(), Is.Zero, "one long job outweighs the short ones at once");
        for (var i = 0; i < 60; i++)
        {
            Run(policy, 0, TimeSpan.FromMilliseconds(1));
        }

        Assert.That(policy.ClaimAhead(), Is.EqualTo(4), "the long job's weight decays (mean ≈ 1.0 ms + 125 ms × 0.875^60)");
    }

    [Test]
    public void Adaptive_SlowClaims_WidenTheHorizonToTwoClaimTimes_UpToItsMaximum()
    {
        var policy = new ClaimAheadPolicy(2, null, _time);
        Run(policy, 0, TimeSpan.FromMilliseconds(1));
        Run(policy, 1, TimeSpan.FromMilliseconds(1));
        Assert.That(policy.Horizon, Is.EqualTo(ClaimAheadPolicy.MinHorizon));
        policy.ClaimTook(TimeSpan.FromMilliseconds(1));
        Assert.That(policy.ClaimAhead(), Is.EqualTo(10), "fast claims: the 5 ms horizon");

        var slow = new ClaimAheadPolicy(2, null, _time);
        Run(slow, 0, TimeSpan.FromMilliseconds(1));
        Run(slow, 1, TimeSpan.FromMilliseconds(1));
        var started = slow.ClaimStarting();
        _time.Advance(TimeSpan.FromMilliseconds(10));
        slow.ClaimEnded(started);
        Assert.That(slow.Horizon, Is.EqualTo(TimeSpan.FromMilliseconds(20)));
        Assert.That(slow.ClaimAhead(), Is.EqualTo(40), "jobs claimed ahead cover the next 10 ms claim twice over");

        slow.ClaimTook(TimeSpan.FromSeconds(10));
        Assert.That(slow.Horizon, Is.EqualTo(ClaimAheadPolicy.MaxHorizon), "however slow the claims");
        Assert.That(slow.ClaimAhead(), Is.EqualTo(100));
    }

    [Test]
    public void Adaptive_SlowClaims_StillClaimNothingAheadOfLongJobs()
    {
        var policy = new ClaimAheadPolicy(8, null, _time);
        policy.ClaimTook(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 8; i++)
        {
            Run(policy, i, TimeSpan.FromSeconds(1));
        }

        Assert.That(policy.ClaimAhead(), Is.Zero, "8 greenlets × 50 ms ÷ 1 s = 0.4");
    }

    [Test]
    public async Task Window_ReservesUpToItsSize_WaitsWhenFull_AndWakesOnRelease()
    {
        var policy = new ClaimAheadPolicy(2, 1, _time);
        var window = new ClaimWindow(2, policy);
        Assert.That(await window.AcquireAsync(long.MaxValue, CancellationToken.None), Is.EqualTo(3), "greenlets + prefetch");
        var waiting = window.AcquireAsync(long.MaxValue, CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False);
        Assert.That(window.Waits, Is.EqualTo(1));
        window.Release(2);
        Assert.That(await waiting.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(2));
        Assert.That(window.InFlight, Is.EqualTo(3));
        window.Release(3);
        Assert.That(await window.AcquireAsync(1, CancellationToken.None), Is.EqualTo(1), "never more than asked (max_jobs)");
    }

    [Test]
    public async Task Window_ShrinksWhenThePolicySeesLongJobs()
    {
        var policy = new ClaimAheadPolicy(1, null, _time);
        var window = new ClaimWindow(1, policy);
        Run(policy, 0, TimeSpan.FromMilliseconds(1));
        Assert.That(window.Size, Is.EqualTo(6));
        Assert.That(await window.AcquireAsync(1, CancellationToken.None), Is.EqualTo(1));
        policy.Started(0);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(window.Size, Is.EqualTo(1), "the running job is long: the window is the greenlet alone");
        var waiting = window.AcquireAsync(long.MaxValue, CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False, "nothing is claimed ahead of a long job");
        policy.Ended(0);
        window.Release(1);
        Assert.That(await waiting.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(1), "one 1 s job makes the mean ≈ 126 ms: no claims ahead");
    }

    [Test]
    public async Task Window_WaitIsCancelledByTheStop()
    {
        var window = new ClaimWindow(1, new ClaimAheadPolicy(1, 0, _time));
        Assert.That(await window.AcquireAsync(5, CancellationToken.None), Is.EqualTo(1));
        using var stop = new CancellationTokenSource();
        var waiting = window.AcquireAsync(5, stop.Token);
        stop.Cancel();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(window.InFlight, Is.EqualTo(1), "a cancelled wait reserves nothing");
    }

    private void Run(ClaimAheadPolicy policy, int greenlet, TimeSpan runTime)
    {
        policy.Started(greenlet);
        _time.Advance(runTime);
        policy.Ended(greenlet);
    }
}
