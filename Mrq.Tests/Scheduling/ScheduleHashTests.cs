using System.Text.Json.Nodes;
using Mrq.Scheduling;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

/// <summary>
/// MRQ's <c>hash</c> of a scheduler entry. The expected strings were printed by Python MRQ's own
/// <c>_hash_task</c> (mrq/scheduler.py at HEAD 5a1154d, run with Debian 12's python3 and python3-ujson 5.7.0) on the
/// same entries, so a Python scheduler and ours find each other's state documents.
/// </summary>
[TestFixture]
[Category("engine")]
public sealed class ScheduleHashTests
{
    [Test]
    public void IntervalOnly() =>
        Assert.That(Hash(new ScheduledTask { Path = "tests.Ping", Interval = 60 }), Is.EqualTo("tests.Ping 60 None None None None None"));

    [Test]
    public void DailyTimeWeekdayQueue() =>
        Assert.That(
            Hash(new ScheduledTask { Path = "tests.Daily", DailyTime = new TimeOnly(12, 30), Weekday = 0, Queue = "q" }),
            Is.EqualTo("tests.Daily None 12:30:00 0 None q None"));

    [Test]
    public void MicrosecondsMonthdayEmptyParams() =>
        Assert.That(
            Hash(new ScheduledTask { Path = "tests.Monthly", DailyTime = new TimeOnly(1, 2, 3).Add(TimeSpan.FromTicks(40)), Monthday = 15, Params = [] }),
            Is.EqualTo("tests.Monthly None 01:02:03.000004 None 15 None {}"));

    [Test]
    public void Params_SortedUjsonWithEscapes()
    {
        var parameters = JsonNode.Parse("""{"b": 2, "a": "x/y", "c": "\u00e9\u4e2d\u007f\u0001\ud83d\ude00\n\"", "d": 1.5, "e": [1, {"z": null, "y": true}], "f": 2.0, "g": false}""")!.AsObject();

        Assert.That(
            Hash(new ScheduledTask { Path = "tests.P", Interval = 3600, Params = parameters }),
            Is.EqualTo("tests.P 3600 None None None None [[\"a\",\"x\\/y\"],[\"b\",2],[\"c\",\"\\u00e9\\u4e2d\u007f\\u0001\\ud83d\\ude00\\n\\\"\"],[\"d\",1.5],[\"e\",[1,{\"z\":null,\"y\":true}]],[\"f\",2.0],[\"g\",false]]"));
    }

    [Test]
    public void FractionalInterval() =>
        Assert.That(Hash(new ScheduledTask { Path = "tests.F", Interval = 0.5, Queue = "high" }), Is.EqualTo("tests.F 0.5 None None None high None"));

    [Test]
    public void Cron_MrqFieldsThenCronTimezoneCatchup() =>
        Assert.That(
            Hash(new ScheduledTask { Path = "tests.C", Cron = "0 3 * * *", TimeZone = "Europe/Paris" }),
            Is.EqualTo("tests.C None None None None None None cron=0 3 * * * timezone=Europe/Paris catchup=once"));

    [Test]
    public void ParamsBuiltInCode_SameAsParsed() =>
        Assert.That(
            Hash(new ScheduledTask { Path = "p", Interval = 1, Params = new JsonObject { ["n"] = 1, ["s"] = "a" } }),
            Is.EqualTo(Hash(new ScheduledTask { Path = "p", Interval = 1, Params = JsonNode.Parse("""{"s":"a","n":1}""")!.AsObject() })));

    private static string Hash(ScheduledTask task) => ScheduleHash.Compute(task);
}
