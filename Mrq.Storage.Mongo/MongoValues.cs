using MongoDB.Bson;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

/// <summary>Conversions of ids, worker ids and dates to and from the BSON values MRQ stores.</summary>
internal static class MongoValues
{
    public static ObjectId ToObjectId(JobId id) => new(id.ToByteArray());

    public static JobId ToJobId(ObjectId id) => JobId.FromBytes(id.ToByteArray());

    public static BsonArray ToObjectIds(IEnumerable<JobId> ids) => new(ids.Select(id => (BsonValue)ToObjectId(id)));

    /// <summary>
    /// A worker id as MRQ stores it: an ObjectId when it is the lowercase 24-hex form of one (as MRQ's worker ids
    /// are), otherwise the string itself, so reading it back always gives the same string.
    /// </summary>
    public static BsonValue Worker(string worker) =>
        worker.Length == 24 && ObjectId.TryParse(worker, out var id) && id.ToString() == worker ? id : new BsonString(worker);

    /// <summary>A worker id read from a document: ObjectId or string; anything else is no worker.</summary>
    public static string? ReadWorker(BsonValue? value) => value?.BsonType switch
    {
        BsonType.ObjectId => value.AsObjectId.ToString(),
        BsonType.String => value.AsString,
        _ => null,
    };

    /// <summary>A UTC BSON date (an unspecified kind is taken as UTC, as everything the SPI passes is UTC).</summary>
    public static BsonDateTime Date(DateTime value) => new(value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    });

    /// <summary>A date read from a document as UTC, or null when absent, null or not a date.</summary>
    public static DateTime? ReadDate(BsonValue? value) =>
        value is BsonDateTime date && date.IsValidDateTime ? date.ToUniversalTime() : null;

    /// <summary>A number read from a document (Int32, Int64, Double or Decimal128, as Python may write any), or null.</summary>
    public static double? ReadDouble(BsonValue? value) => value?.BsonType switch
    {
        BsonType.Double => value.AsDouble,
        BsonType.Int32 => value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Decimal128 => Decimal128.ToDouble(value.AsDecimal128),
        _ => null,
    };

    /// <summary>
    /// A progress ratio as MRQ stores it: a whole number (MRQ's final <c>1</c>, or <c>0</c>) as an int32, anything
    /// else as a double, so Python reads back the same type it writes.
    /// </summary>
    public static BsonValue Progress(double value) =>
        value is 0 or 1 ? new BsonInt32((int)value) : new BsonDouble(value);

    /// <summary>A string read from a document, or null when absent or not a string.</summary>
    public static string? ReadString(BsonValue? value) => value is BsonString text ? text.Value : null;

    /// <summary>Truncates to BSON's millisecond precision, for comparisons with stored dates.</summary>
    public static DateTime ToMilliseconds(DateTime value) =>
        Date(value).ToUniversalTime();
}
