using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

[TestFixture]
[Category("engine")]
public sealed class QueueNamesTests
{
    [TestCase("default", RawQueueType.None)]
    [TestCase("x_raw", RawQueueType.List)]
    [TestCase("x_set", RawQueueType.Set)]
    [TestCase("x_sorted_set", RawQueueType.SortedSet)]
    [TestCase("x_timed_set", RawQueueType.TimedSet)]
    [TestCase("x_raw/sub_set", RawQueueType.List)]
    [TestCase("x/sub_raw", RawQueueType.None)]
    public void RawType_FromRootSuffix(string queue, RawQueueType expected) =>
        Assert.That(QueueNames.RawType(queue), Is.EqualTo(expected));

    [TestCase("high", "high", true)]
    [TestCase("high/sub", "high", true)]
    [TestCase("high/sub/nested", "high/", true)]
    [TestCase("higher", "high", false)]
    [TestCase("low", "high", false)]
    public void IsPausedBy_CoversSubqueues(string queue, string paused, bool expected) =>
        Assert.That(QueueNames.IsPausedBy(queue, paused), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase(" ")]
    [TestCase(" q")]
    [TestCase("q\n")]
    public void Validate_BadName_Throws(string queue) =>
        Assert.That(() => QueueNames.Validate(queue, nameof(queue)), Throws.ArgumentException);
}
