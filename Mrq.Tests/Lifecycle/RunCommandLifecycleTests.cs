using Mrq.Jobs;
using Mrq.Tests.Process;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary><c>mrq run --queue Q</c> with <c>--delay</c>, <c>--run-at</c> and <c>--unique-key</c>, through the real command.</summary>
[TestFixture]
[Category("process")]
public sealed class RunCommandLifecycleTests : ProcessTestBase
{
    private const string AddParams = "{\"a\": 1, \"b\": 1}";

    [Test]
    public async Task Run_QueueWithDelay_StoredDelayedAndDueThen()
    {
        var before = DateTime.UtcNow;
        var result = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "--delay", "90s", "samples.Add", AddParams);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(JobId.TryParse(result.Stdout.Trim(), out var id), Is.True, result.ToString());
        var job = await Db.GetAsync(id);
        Assert.That(job.Status, Is.EqualTo(JobStatus.Retry));
        Assert.That(job.DateRetry, Is.GreaterThanOrEqualTo(before.AddSeconds(89)).And.LessThan(DateTime.UtcNow.AddSeconds(91)));
    }

    [Test]
    public async Task Run_QueueWithRunAtAndUniqueKey_DelayedOnceThenSameIdPrinted()
    {
        var first = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "--run-at", "2099-01-02T03:04:05Z", "--unique-key", "nightly", "samples.Add", AddParams);
        var second = await RunAsync("run", "--storage", Db.Path, "--queue", "later", "--unique-key", "nightly", "samples.Add", AddParams);

        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(second.Stdout, Is.EqualTo(first.Stdout), "the key is held by the delayed job");
        var job = await Db.GetAsync(JobId.Parse(first.Stdout.Trim()));
        Assert.That(job.DateRetry, Is.EqualTo(new DateTime(2099, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
        Assert.That(await Db.CountAsync(), Is.EqualTo(1));
    }

    [TestCase("--delay", "soon", "is not a duration")]
    [TestCase("--delay", "5 weeks", "is not a duration")]
    [TestCase("--run-at", "tomorrow", "is not a date and time")]
    public async Task Run_BadDelayOrRunAt_ExitsWith2WithOneLineAndQueuesNothing(string option, string value, string message)
    {
        var result = await RunAsync("run", "--storage", Db.Path, "--queue", "later", option, value, "samples.Add", AddParams);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain(message));
        Assert.That(File.Exists(Db.Path), Is.False, "the storage was never opened, so nothing was queued");
    }

    [Test]
    public async Task Run_DelayWithoutQueue_ExitsWith2()
    {
        var result = await RunAsync("run", "--storage", Db.Path, "--tasks", SamplesDll, "--delay", "5s", "samples.Add", AddParams);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain("only apply with --queue"));
    }
}
