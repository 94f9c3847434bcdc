using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>
/// R4 and F4: jobs and workers are written with majority write concern unless lowered (never to w=0), read from the
/// primary, and every connection has finite socket and connect timeouts.
/// </summary>
[TestFixture]
[Category("mongo")]
public sealed class MongoWriteConcernTests
{
    private const string Server = "mongodb://127.0.0.1:27017/mrq";

    private static MongoConnection Open(string url, string? writeConcern = null) =>
        new(new MongoStorageOptions { Url = url, WriteConcern = writeConcern });

    [Test]
    public void Connection_Defaults_JobsAndWorkersMajorityPrimary()
    {
        using var connection = Open(Server);

        foreach (var collection in new[] { connection.Jobs, connection.Workers })
        {
            Assert.That(collection.Settings.WriteConcern.W, Is.EqualTo(WriteConcern.WMajority.W), collection.CollectionNamespace.CollectionName);
            Assert.That(collection.Settings.ReadPreference, Is.EqualTo(ReadPreference.Primary));
        }
    }

    [Test]
    public void Connection_UrlAsksForSecondaryReads_JobsAndWorkersStillPrimaryLogsFollowTheUrl()
    {
        using var connection = Open(Server + "?readPreference=secondaryPreferred");

        Assert.That(connection.Jobs.Settings.ReadPreference, Is.EqualTo(ReadPreference.Primary));
        Assert.That(connection.Workers.Settings.ReadPreference, Is.EqualTo(ReadPreference.Primary));
        Assert.That(connection.Logs.Settings.ReadPreference.ReadPreferenceMode, Is.EqualTo(ReadPreferenceMode.SecondaryPreferred));
    }

    [TestCase("?w=2", 2)]
    [TestCase("?w=1", 1)]
    public void Connection_UrlWriteConcernOneOrMore_Respected(string query, int members)
    {
        using var connection = Open(Server + query);

        Assert.That(connection.Jobs.Settings.WriteConcern.W, Is.EqualTo(new WriteConcern.WCount(members)));
    }

    [Test]
    public void Connection_UrlWTimeoutWithoutW_MajorityKeepsTheTimeout()
    {
        using var connection = Open(Server + "?wtimeoutMS=2500&journal=true");

        Assert.That(connection.Jobs.Settings.WriteConcern.W, Is.EqualTo(WriteConcern.WMajority.W));
        Assert.That(connection.Jobs.Settings.WriteConcern.WTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(2500)));
        Assert.That(connection.Jobs.Settings.WriteConcern.Journal, Is.True);
    }

    [Test]
    public void Connection_OptionLowersTheUrlsMajority_OptionWins()
    {
        using var connection = Open(Server + "?w=majority", writeConcern: "1");

        Assert.That(connection.Jobs.Settings.WriteConcern.W, Is.EqualTo(new WriteConcern.WCount(1)));
        Assert.That(connection.Workers.Settings.WriteConcern.W, Is.EqualTo(new WriteConcern.WCount(1)));
    }

    [TestCase("?w=0", null)]
    [TestCase("", "0")]
    public void AddTo_UnacknowledgedWriteConcern_RefusedWithOneLine(string query, string? option)
    {
        var ex = Assert.Throws<MrqStorageException>(() =>
            MongoStorage.AddTo(new MrqStorageParts(), new MongoStorageOptions { Url = Server + query, WriteConcern = option }));

        TestContext.Out.WriteLine(ex!.Message);
        Assert.That(ex.Message, Does.Contain("w=0"));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
    }

    [TestCase("all")]
    [TestCase("-1")]
    [TestCase("")]
    public void AddTo_WriteConcernOptionNotMajorityOrNumber_Refused(string option)
    {
        var ex = Assert.Throws<MrqStorageException>(() =>
            MongoStorage.AddTo(new MrqStorageParts(), new MongoStorageOptions { Url = Server, WriteConcern = option }));

        Assert.That(ex!.Message, Does.Contain("is not valid"));
    }

    [Test]
    public void Connection_Defaults_FiniteSocketAndConnectTimeouts()
    {
        using var connection = Open(Server);

        var settings = connection.Database.Client.Settings;
        Assert.That(settings.SocketTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(settings.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Connection_UrlSetsTimeouts_UrlWins()
    {
        using var connection = Open(Server + "?socketTimeoutMS=120000&connectTimeoutMS=3000");

        var settings = connection.Database.Client.Settings;
        Assert.That(settings.SocketTimeout, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That(settings.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void AddTo_NonPositiveSocketTimeout_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() =>
            MongoStorage.AddTo(new MrqStorageParts(), new MongoStorageOptions { SocketTimeout = TimeSpan.Zero }));
    }

    [Test]
    public async Task Jobs_MajorityWrite_AcceptedByTheServer()
    {
        await using var db = await MongoTestDatabase.CreateAsync(ensureIndexes: false);

        await db.Connection.Jobs.InsertOneAsync(new BsonDocument("path", "tests.Noop"));

        Assert.That(await db.RawJobs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty), Is.EqualTo(1));
    }
}
