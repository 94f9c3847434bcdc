using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Mrq.Jobs;
using Mrq.Tasks;
using LiteBson = LiteDB.BsonDocument;
using LiteBsonJson = Mrq.Storage.LiteDb.BsonJson;
using LiteJobDocuments = Mrq.Storage.LiteDb.JobDocuments;
using MongoBson = MongoDB.Bson.BsonDocument;
using MongoBsonJson = Mrq.Storage.Mongo.BsonJson;
using MongoJobDocuments = Mrq.Storage.Mongo.JobDocumentMapper;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// Params (de)serialization on the hot path: JsonObject ↔ LiteDB BsonDocument and ↔ MongoDB BsonDocument (what the
/// stores do for every job), a whole job record ↔ its stored document, and typed <see cref="MrqTask{TParams,TResult}"/>
/// params and result (what a typed task pays per run).
/// </summary>
[MemoryDiagnoser]
public class JsonParamsBenchmarks
{
    private JsonObject _params = null!;
    private LiteBson _liteParams = null!;
    private MongoBson _mongoParams = null!;
    private JobRecord _job = null!;
    private LiteBson _liteJob = null!;
    private MongoBson _mongoJob = null!;
    private FetchParams _typed = null!;

    /// <summary>Builds the sample values once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _params = MicroJobs.Params(42);
        _liteParams = LiteBsonJson.ToDocument(_params);
        _mongoParams = MongoBsonJson.ToBsonDocument(_params);
        _job = MicroJobs.Job(42);
        _liteJob = LiteJobDocuments.ToDocument(_job);
        _mongoJob = MongoJobDocuments.ToDocument(_job);
        _typed = _params.Deserialize<FetchParams>(MrqJson.Options)!;
    }

    /// <summary>JsonObject → LiteDB BsonDocument.</summary>
    [Benchmark]
    public LiteBson ParamsToLiteDb() => LiteBsonJson.ToDocument(_params);

    /// <summary>LiteDB BsonDocument → JsonObject.</summary>
    [Benchmark]
    public JsonObject ParamsFromLiteDb() => LiteBsonJson.ToJsonObject(_liteParams);

    /// <summary>JsonObject → MongoDB BsonDocument.</summary>
    [Benchmark]
    public MongoBson ParamsToMongo() => MongoBsonJson.ToBsonDocument(_params);

    /// <summary>MongoDB BsonDocument → JsonObject.</summary>
    [Benchmark]
    public JsonObject ParamsFromMongo() => MongoBsonJson.ToJsonObject(_mongoParams);

    /// <summary>A queued job record → its LiteDB document (with the status key).</summary>
    [Benchmark]
    public LiteBson JobToLiteDb() => LiteJobDocuments.ToDocument(_job);

    /// <summary>A stored LiteDB job document → a record (what a claim returns per job).</summary>
    [Benchmark]
    public JobRecord JobFromLiteDb() => LiteJobDocuments.ToRecord(_liteJob);

    /// <summary>A queued job record → its MongoDB document.</summary>
    [Benchmark]
    public MongoBson JobToMongo() => MongoJobDocuments.ToDocument(_job);

    /// <summary>A stored MongoDB job document → a record.</summary>
    [Benchmark]
    public JobRecord JobFromMongo() => MongoJobDocuments.ToRecord(_mongoJob);

    /// <summary>Typed params: JsonObject → record (MrqTask&lt;TParams, TResult&gt; before RunAsync).</summary>
    [Benchmark]
    public FetchParams TypedParams() => _params.Deserialize<FetchParams>(MrqJson.Options)!;

    /// <summary>Typed result: record → JsonNode (MrqTask&lt;TParams, TResult&gt; after RunAsync).</summary>
    [Benchmark]
    public JsonNode? TypedResult() => JsonSerializer.SerializeToNode(_typed, MrqJson.Options);
}
