using MongoDB.Bson;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

/// <summary>Classifies MongoDB write failures: permanent (retrying cannot help), transient (may pass), duplicate ids.</summary>
internal static class MongoWriteErrors
{
    // BSONObjectTooLarge: a document over the server's 16 MB limit.
    private const int ObjectTooLargeCode = 10334;

    /// <summary>
    /// True when the same write will fail however often it is retried: a document the driver cannot serialize or
    /// that is over the size limit (refused before sending, as a <see cref="FormatException"/> or
    /// <see cref="BsonException"/>, or by the server as BSONObjectTooLarge).
    /// </summary>
    public static bool IsPermanent(Exception exception) => exception switch
    {
        FormatException or BsonException => true,
        MongoBulkWriteException bulk => bulk.WriteConcernError is null && bulk.WriteErrors.Any(e => e.Code == ObjectTooLargeCode),
        MongoWriteException single => single.WriteError?.Code == ObjectTooLargeCode,
        MongoCommandException command => command.Code == ObjectTooLargeCode,
        _ => false,
    };

    /// <summary>
    /// True for failures after which the write may or may not have been applied and a retry can succeed: a lost
    /// connection or reply, a timeout, a step-down, or a server-labelled retryable error.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        MongoConnectionException or TimeoutException or MongoNotPrimaryException or MongoNodeIsRecoveringException => true,
        MongoBulkWriteException { WriteConcernError: not null } => true,
        MongoException mongo => mongo.HasErrorLabel("RetryableWriteError"),
        _ => false,
    };

    /// <summary>
    /// True when every write error of an acknowledged bulk insert is a duplicate key on <c>_id</c>: the documents
    /// were already written (by an earlier attempt of the same insert, whose ids are kept), so it is a success.
    /// </summary>
    public static bool OnlyDuplicateIds(MongoBulkWriteException exception) =>
        exception.WriteConcernError is null
        && exception.WriteErrors.Count > 0
        && exception.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey && e.Message.Contains("_id", StringComparison.Ordinal));

    /// <summary>A permanent failure as the storage reports it, naming what was written.</summary>
    public static MrqStorageException Permanent(string what, Exception exception) =>
        new($"Cannot store {what} in MongoDB, and retrying cannot help: {exception.Message}", exception, isPermanent: true);
}
