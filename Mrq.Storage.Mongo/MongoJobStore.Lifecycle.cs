using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;

namespace Mrq.Storage.Mongo;

/// <summary>Job lifecycle reads: the next due retry (delayed jobs).</summary>
internal sealed partial class MongoJobStore
{
    /// <inheritdoc/>
    /// <remarks>One indexed read: the first job in <c>retry</c> by MRQ's sparse <c>dateretry</c> index.</remarks>
    public async ValueTask<DateTime?> NextRetryDateAsync(CancellationToken cancellationToken)
    {
        var first = await _jobs.Find(s_filter.And(
                s_filter.Eq(MrqJobFields.Status, JobStatus.Retry.ToMrqName()),
                s_filter.Exists(MrqJobFields.DateRetry),
                s_filter.Ne(MrqJobFields.DateRetry, BsonNull.Value)))
            .Sort(Builders<BsonDocument>.Sort.Ascending(MrqJobFields.DateRetry))
            .Project(Builders<BsonDocument>.Projection.Include(MrqJobFields.DateRetry))
            .Limit(1)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return first is null ? null : MongoValues.ReadDate(first.GetValue(MrqJobFields.DateRetry, BsonNull.Value));
    }
}
