using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>JSON params and results through LiteDB values: lossless, including what LiteDB documents cannot hold.</summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbJsonTests
{
    private LiteDbTestStorage _storage = null!;

    [SetUp]
    public async Task OpenAsync() => _storage = await LiteDbTestStorage.CreateAsync();

    [TearDown]
    public async Task CloseAsync() => await _storage.DisposeAsync();

    private async Task<JobRecord> RoundTripAsync(JsonObject parameters, JsonNode? result)
    {
        var job = JobRecord.NewQueued("tests.Json", parameters, "json", DateTime.UtcNow);
        job.Status = JobStatus.Success;
        job.Result = result;
        await _storage.Storage.Jobs.InsertAsync([job], default);
        return (await _storage.Storage.Jobs.GetAsync([job.Id], default)).Single();
    }

    [Test]
    public async Task Params_KeysDifferingOnlyByCase_RoundTrip()
    {
        var parameters = JsonNode.Parse("""{"Key": 1, "key": 2, "nested": {"A": true, "a": false}}""")!.AsObject();
        var result = JsonNode.Parse("""[{"X": "upper", "x": "lower"}]""");

        var stored = await RoundTripAsync(parameters, result);

        Assert.That(JsonNode.DeepEquals(stored.Params, parameters), Is.True, stored.Params.ToJsonString());
        Assert.That(JsonNode.DeepEquals(stored.Result, result), Is.True, stored.Result?.ToJsonString());
    }

    [Test]
    public async Task Numbers_EachKind_KeepValueAndKind()
    {
        var parameters = new JsonObject
        {
            ["int"] = 2147483647,
            ["long"] = 9007199254740993L,
            ["double"] = 0.1,
            ["whole double"] = 2.0,
            ["negative"] = -1e-300,
            ["decimal"] = 12345678901234567890.5m,
            ["parsed big"] = JsonNode.Parse("123456789012345678901234567"),
            ["float"] = 1.5f,
        };

        var stored = await RoundTripAsync(parameters, null);

        Assert.That(stored.Params["int"]!.GetValue<int>(), Is.EqualTo(2147483647));
        Assert.That(stored.Params["long"]!.GetValue<long>(), Is.EqualTo(9007199254740993L));
        Assert.That(stored.Params["double"]!.GetValue<double>(), Is.EqualTo(0.1));
        Assert.That(stored.Params["whole double"]!.GetValue<double>(), Is.EqualTo(2.0));
        Assert.That(stored.Params["negative"]!.GetValue<double>(), Is.EqualTo(-1e-300));
        Assert.That(JsonNode.DeepEquals(stored.Params, parameters), Is.True, stored.Params.ToJsonString());
    }

    [Test]
    public void IsDocumentSafe_CaseCollision_False()
    {
        Assert.That(BsonJson.IsDocumentSafe(JsonNode.Parse("""{"a": {"b": 1, "B": 2}}""")), Is.False);
        Assert.That(BsonJson.IsDocumentSafe(JsonNode.Parse("""{"a": [{"b": 1}, {"B": 2}]}""")), Is.True);
    }

    [Test]
    public void ToBson_AndBack_EveryJsonKind()
    {
        var json = JsonNode.Parse("""{"s": "t", "n": null, "t": true, "f": false, "i": 1, "l": 5000000000, "d": 1.5, "a": [1, [2], {}], "o": {"p": {"q": []}}}""");

        var back = BsonJson.ToJson(BsonJson.ToBson(json));

        Assert.That(JsonNode.DeepEquals(back, json), Is.True, back?.ToJsonString());
    }
}
