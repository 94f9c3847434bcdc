using Mrq.Configuration;
using Mrq.Tasks;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary>The automatic retry policy's rules: which exceptions, how long each wait, which settings are refused.</summary>
[TestFixture]
public sealed class AutoRetryPolicyTests
{
    private static AutoRetryPolicy Policy(double jitter = 0) =>
        AutoRetryPolicy.From(new TaskOptions { RetryOn = ["TimeoutException", "System.IO.IOException"], RetryJitter = jitter, RetryMaxDelay = 100 }, TimeSpan.FromSeconds(3))!;

    [Test]
    public void From_NoRetryOn_NoPolicy() =>
        Assert.That(AutoRetryPolicy.From(new TaskOptions { RetryBackoff = 3 }, TimeSpan.FromSeconds(3)), Is.Null);

    [Test]
    public void Retries_ListedTypeOrSubclass_ByNameOrFullName()
    {
        var policy = Policy();

        Assert.That(policy.Retries(new TimeoutException()), Is.True);
        Assert.That(policy.Retries(new FileNotFoundException()), Is.True, "a subclass of System.IO.IOException");
        Assert.That(policy.Retries(new InvalidOperationException()), Is.False);
    }

    [Test]
    public void DelayFor_DoublesPerRetryUpToMaxDelay()
    {
        var policy = Policy();

        Assert.That(Enumerable.Range(0, 7).Select(n => policy.DelayFor(n, 0.5).TotalSeconds), Is.EqualTo(new double[] { 3, 6, 12, 24, 48, 96, 100 }));
        Assert.That(policy.DelayFor(10_000, 0).TotalSeconds, Is.EqualTo(100), "no overflow for huge retry counts");
    }

    [Test]
    public void DelayFor_JitterTakesOffARandomShare()
    {
        var policy = Policy(jitter: 0.5);

        Assert.That(policy.DelayFor(1, 0).TotalSeconds, Is.EqualTo(6));
        Assert.That(policy.DelayFor(1, 0.5).TotalSeconds, Is.EqualTo(4.5));
        Assert.That(policy.DelayFor(1, 0.999).TotalSeconds, Is.GreaterThan(3).And.LessThan(3.01));
    }

    [TestCase(0.5, null, null, "retry_backoff")]
    [TestCase(null, -1.0, null, "retry_max_delay")]
    [TestCase(null, null, 1.5, "retry_jitter")]
    public void Validator_OutOfRangeSetting_OneClearError(double? backoff, double? maxDelay, double? jitter, string key)
    {
        var options = new MrqOptions();
        options.Tasks["t"] = new TaskOptions { RetryOn = ["Exception"], RetryBackoff = backoff, RetryMaxDelay = maxDelay, RetryJitter = jitter };

        var errors = MrqOptionsValidator.Errors(options);

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("tasks.t " + key));
    }

    [Test]
    public void Attribute_OutOfRangeSetting_RefusedAtRegistration()
    {
        var attribute = new MrqTaskAttribute("t") { RetryOn = [typeof(TimeoutException)], RetryJitter = 2 };

        var error = Assert.Throws<ArgumentException>(() => attribute.ToOptions());

        Assert.That(error!.Message, Does.Contain("retry_jitter"));
    }
}
