using System.Globalization;
using Mrq.Tests.Storage.Redis;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// <c>mrq worker</c> with a storage it cannot use prints its error as the first line of its output (<c>mrq: …</c>,
/// exit code 1), before any log line, and no stack trace.
/// </summary>
[TestFixture]
[Category("process")]
public sealed class WorkerErrorFirstLineTests : ProcessTestBase
{
    [Test]
    public async Task Worker_LiteDbFileHeldByAnotherWorker_PrintsErrorFirst()
    {
        var first = Start("worker", "--storage", Db.Path);
        await first.WaitForStderrAsync(" started: queues ");

        var result = await RunAsync("worker", "--storage", Db.Path);

        AssertErrorFirst(result, "is already open in another process");
    }

    [Test]
    public async Task Worker_StorageFolderMissing_PrintsErrorFirst()
    {
        var result = await RunAsync("worker", "--storage", PathOf(Path.Combine("missing", "jobs.db")));

        AssertErrorFirst(result, "does not exist");
    }

    [Test]
    public async Task Worker_MongoUnreachable_PrintsErrorFirst()
    {
        // Nothing listens on these ports; the short server selection keeps the test fast.
        var mongo = string.Create(CultureInfo.InvariantCulture, $"mongodb://127.0.0.1:{PrivateRedisServer.FreePort()}/mrqtest?serverSelectionTimeoutMS=1500&connectTimeoutMS=1000");
        var redis = string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{PrivateRedisServer.FreePort()}");

        var result = await RunAsync("worker", "--mongodb-jobs", mongo, "--redis", redis);

        AssertErrorFirst(result, "Cannot reach MongoDB at 127.0.0.1");
    }

    [Test]
    public async Task Worker_BadMongoUrl_PrintsErrorFirst()
    {
        var result = await RunAsync("worker", "--mongodb-jobs", "mongodb://127.0.0.1:notaport/mrqtest", "--redis", "redis://127.0.0.1:1");

        AssertErrorFirst(result, "notaport");
    }

    private static void AssertErrorFirst(CliResult result, string expected)
    {
        Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.ToString());
        var first = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        Assert.That(first, Does.StartWith("mrq: ").And.Contain(expected), result.ToString());
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
    }
}
