using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

[TestFixture]
[Category("engine")]
public sealed class JobIdTests
{
    [Test]
    public void NewId_IsObjectIdLayoutWithTimestampAndSortsByCreation()
    {
        var now = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        var first = JobId.NewId(now);
        var second = JobId.NewId(now);

        Assert.That(first.CreationTime, Is.EqualTo(now));
        Assert.That(first, Is.LessThan(second));
        Assert.That(first.ToString(), Has.Length.EqualTo(24).And.Match("^[0-9a-f]{24}$"));
        Assert.That(first.ToString()[..8], Is.EqualTo(((uint)(now - DateTime.UnixEpoch).TotalSeconds).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Parse_RoundTripsTextAndBytes()
    {
        var id = JobId.Parse("5f2b6c7d8e9fa0b1c2d3e4f5");

        Assert.That(id.ToString(), Is.EqualTo("5f2b6c7d8e9fa0b1c2d3e4f5"));
        Assert.That(JobId.FromBytes(id.ToByteArray()), Is.EqualTo(id));
    }

    [TestCase("")]
    [TestCase("5f2b6c7d8e9fa0b1c2d3e4f")]
    [TestCase("5f2b6c7d8e9fa0b1c2d3e4fz")]
    public void Parse_InvalidText_ThrowsFormatException(string text)
    {
        Assert.That(() => JobId.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(text));
        Assert.That(JobId.TryParse(text, out _), Is.False);
    }
}
