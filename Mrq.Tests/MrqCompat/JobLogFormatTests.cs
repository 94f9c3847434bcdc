using Microsoft.Extensions.Logging;
using Mrq.Context;
using NUnit.Framework;

namespace Mrq.Tests.MrqCompat;

/// <summary>Lines stored in <c>mrq_logs</c> read as MRQ's <c>log_format</c> writes them.</summary>
[TestFixture]
public sealed class JobLogFormatTests
{
    private static readonly DateTimeOffset s_time = new(2026, 11, 27, 20, 6, 2, 820, TimeSpan.Zero);

    [Test]
    public void Default_MrqsLine()
    {
        Assert.That(JobLogFormat.Default.Format(s_time, LogLevel.Information, "mrq.current", "adding"), Is.EqualTo("2026-11-27 20:06:02,820 [INFO] adding"));
        Assert.That(JobLogFormat.Default.Format(s_time, LogLevel.Warning, "x", "w"), Is.EqualTo("2026-11-27 20:06:02,820 [WARNING] w"));
        Assert.That(JobLogFormat.Default.Format(s_time, LogLevel.Debug, "x", "d"), Is.EqualTo("2026-11-27 20:06:02,820 [DEBUG] d"));
    }

    [Test]
    public void Custom_FieldsAndPercent()
    {
        var format = JobLogFormat.Parse("%(levelno)d %(name)s: %(message)s 100%%");

        Assert.That(format.Format(s_time, LogLevel.Error, "mrq.current", "boom"), Is.EqualTo("40 mrq.current: boom 100%"));
    }

    [TestCase("%(lineno)d %(message)s", "'%(lineno)'")]
    [TestCase("%(message)s 5%", "'%' starts no")]
    public void Parse_Unsupported_ErrorNamesIt(string format, string expected)
    {
        var error = Assert.Throws<FormatException>(() => JobLogFormat.Parse(format));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void JobLog_StoresLinesInTheFormat()
    {
        var log = new JobLog(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(s_time));

        log.LogInformation("adding {A}", 1);

        Assert.That(log.TakeLines(), Is.EqualTo("2026-11-27 20:06:02,820 [INFO] adding 1"));
    }
}
