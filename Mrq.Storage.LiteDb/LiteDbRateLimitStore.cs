using System.Globalization;
using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Fixed-window counters <c>{_id: "key:per:window", count, expires}</c>, incremented on the writer. Windows past
/// their end (plus MRQ's 10 s grace) are swept now and then, as LiteDB has no TTL.
/// </summary>
internal sealed class LiteDbRateLimitStore : IRateLimitStore
{
    private const string CountField = "count";
    private const string ExpiresField = "expires";
    private const int SweepEvery = 1000;

    private readonly LiteDbDatabase _database;
    private int _increments;

    public LiteDbRateLimitStore(LiteDbDatabase database)
    {
        _database = database;
    }

    /// <inheritdoc/>
    public async ValueTask<long> IncrementAsync(string key, int per, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(per, 1);
        var seconds = (long)Math.Floor((JobDocuments.Utc(now) - DateTime.UnixEpoch).TotalSeconds);
        var window = seconds / per;
        var id = string.Create(CultureInfo.InvariantCulture, $"{key}:{per}:{window}");
        var expires = DateTime.UnixEpoch.AddSeconds(((window + 1) * per) + 10);
        var sweep = Interlocked.Increment(ref _increments) % SweepEvery == 0;
        var sweepBefore = JobDocuments.Utc(now);
        return await _database.WriteAsync(
            database =>
            {
                var counters = _database.Collection(LiteDbCollections.RateLimits);
                if (sweep)
                {
                    counters.DeleteMany(Expressions.LessThan(ExpiresField, sweepBefore));
                }

                var count = counters.FindById(id) is { } doc ? doc[CountField].AsInt64 + 1 : 1L;
                counters.Upsert(new BsonDocument { ["_id"] = id, [CountField] = count, [ExpiresField] = expires });
                return count;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
