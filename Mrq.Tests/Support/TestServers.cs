using NUnit.Framework;

namespace Mrq.Tests.Support;

/// <summary>What a test does when a server it needs is missing: ignored locally, failed in CI (MRQ_TEST_REQUIRE_SERVERS=1).</summary>
internal static class TestServers
{
    public static bool Required => Environment.GetEnvironmentVariable("MRQ_TEST_REQUIRE_SERVERS") == "1";

    public static void Unavailable(string reason)
    {
        if (Required)
        {
            Assert.Fail(reason + " (MRQ_TEST_REQUIRE_SERVERS=1: the test run started this server, so it must answer)");
        }

        Assert.Ignore(reason);
    }
}
