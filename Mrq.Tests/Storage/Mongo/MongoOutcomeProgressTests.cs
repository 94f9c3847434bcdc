using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.Mongo;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

/// <summary>
/// The outcome update sends <c>progress</c> as MRQ writes it: the final 1 as an int32, a fraction as a double. Read
/// from the update document itself, because the MongoDB-wire test server (JavaScript numbers) returns int 1 either way.
/// </summary>
[TestFixture]
public sealed class MongoOutcomeProgressTests
{
    [TestCase(1.0, BsonType.Int32)]
    [TestCase(0.0, BsonType.Int32)]
    [TestCase(0.25, BsonType.Double)]
    public void OutcomeUpdate_Progress_IsWrittenWithMrqsType(double progress, BsonType expected)
    {
        var outcome = new JobOutcome
        {
            Id = JobId.NewId(DateTime.UtcNow),
            Worker = ObjectId.GenerateNewId().ToString(),
            Status = JobStatus.Success,
            DateUpdated = DateTime.UtcNow,
            Progress = progress,
        };

        var update = ((BsonDocumentUpdateDefinition<BsonDocument>)MongoJobStore.ToWriteModel(outcome).Update).Document;

        Assert.That(update["$set"]["progress"].BsonType, Is.EqualTo(expected));
        Assert.That(update["$set"]["progress"].ToDouble(), Is.EqualTo(progress));
    }
}
