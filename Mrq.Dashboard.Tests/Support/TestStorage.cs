using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using NUnit.Framework;

namespace Mrq.Dashboard.Tests.Support;

/// <summary>The storages the dashboard tests run on.</summary>
public enum TestStorage
{
    InMemory,
    LiteDb,
    Distributed,
}

/// <summary>Configures a test app's Mrq storage: a fresh LiteDB file, a fresh Mongo database and Redis prefix, or memory.</summary>
internal static class TestStorageSetup
{
    public const string RawQueue = "feed_raw";

    public static void Use(IMrqBuilder mrq, TestStorage storage, string scratch)
    {
        switch (storage)
        {
            case TestStorage.InMemory:
                mrq.UseInMemoryStorage();
                break;
            case TestStorage.LiteDb:
                mrq.UseLiteDb(Path.Combine(scratch, "jobs.db"));
                break;
            case TestStorage.Distributed:
                var name = "dash" + Guid.NewGuid().ToString("N")[..10];
                var mongo = Environment.GetEnvironmentVariable("MRQ_TEST_MONGO");
                var redis = Environment.GetEnvironmentVariable("MRQ_TEST_REDIS");
                if (string.IsNullOrEmpty(mongo) || string.IsNullOrEmpty(redis))
                {
                    Assert.Ignore("MRQ_TEST_MONGO and MRQ_TEST_REDIS are not set (run through tools/run-tests.sh).");
                }

                var mongoUrl = new MongoDB.Driver.MongoUrlBuilder(mongo) { DatabaseName = name }.ToString();
                mrq.UseMongo(mongoUrl);
                mrq.UseRedis(o =>
                {
                    o.Url = redis!;
                    o.Prefix = name;
                });
                break;
        }

        mrq.AddTasksFrom(typeof(Mrq.Samples.SampleHost).Assembly);
        mrq.AddRawQueue(RawQueue, member => new RawJob("samples.Add", new JsonObject { ["a"] = member.Length, ["b"] = 1 }));
        mrq.Configure(o =>
        {
            o.MaxLatency = 0.05;
            o.ReportInterval = 1;
            o.Maintenance = false;
        });
    }
}
