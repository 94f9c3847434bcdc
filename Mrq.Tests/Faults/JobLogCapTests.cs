using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mrq.Context;
using NUnit.Framework;

namespace Mrq.Tests.Faults;

/// <summary>D4: a job's stored log is capped, with a marker line, so it can always be stored.</summary>
[TestFixture]
public sealed class JobLogCapTests
{
    [Test]
    public void LinesPastTheCap_ReplacedByOneMarkerLine()
    {
        var log = new JobLog(NullLogger.Instance, TimeProvider.System, maxChars: 200);
        for (var i = 0; i < 50; i++)
        {
            log.LogInformation("line {Number} with some padding text", i);
        }

        var lines = log.TakeLines()!.Split('\n');

        Assert.That(lines[0], Does.Contain("line 0 "));
        Assert.That(lines[^1], Does.Contain("Log truncated"));
        Assert.That(lines.Count(l => l.Contains("Log truncated", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(lines.Length, Is.LessThan(10));
    }

    [Test]
    public void UnderTheCap_EveryLineKept()
    {
        var log = new JobLog(NullLogger.Instance, TimeProvider.System, maxChars: 10_000);
        log.LogInformation("one");
        log.LogWarning("two");

        var lines = log.TakeLines()!.Split('\n');

        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Does.EndWith("two"));
    }
}
