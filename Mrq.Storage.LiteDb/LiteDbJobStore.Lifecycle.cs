using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>Job lifecycle: unique keys (checked and inserted in one writer operation) and the next due retry (delayed jobs).</summary>
internal sealed partial class LiteDbJobStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// The check and the insert run as one operation on the single writer, so no other write comes between them;
    /// the jobs with the key are found through the unique key index (<see cref="JobFields.UniqueKeyIndex"/>), each read as currently claimed.
    /// </remarks>
    public async ValueTask<JobId> InsertUniqueAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var key = job.UniqueKey ?? throw new ArgumentException("The job has no unique key.", nameof(job));
        return await _database.WriteAsync(
            database =>
            {
                var jobs = Jobs;
                foreach (var found in jobs.Find(Expressions.UniqueKeyEquals(key)))
                {
                    var id = JobDocuments.ToJobId(found[MrqJobFields.Id].AsObjectId);
                    var current = FindForWrite(jobs, id, out _) ?? found;
                    if (UniqueJobs.Holds(JobStatusNames.Parse(current[MrqJobFields.Status].AsString)))
                    {
                        return id;
                    }
                }

                // Built fresh each run: a group rerun must not see the previous run's changes.
                InsertJobs(jobs, [JobDocuments.ToDocument(job)]);
                return job.Id;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Reads the <c>dateretry</c> of every job in <c>retry</c> through the status key index (no other job is read).</remarks>
    public ValueTask<DateTime?> NextRetryDateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DateTime? earliest = null;
        var rows = Jobs.Query()
            .Where(Expressions.Between(JobFields.StatusKey, StatusKey.StatusStart(JobStatus.Retry), StatusKey.StatusEnd(JobStatus.Retry)))
            .Select("$." + MrqJobFields.DateRetry)
            .ToEnumerable();
        foreach (var row in rows)
        {
            if (JobDocuments.Date(row, MrqJobFields.DateRetry) is { } due && (earliest is null || due < earliest))
            {
                earliest = due;
            }
        }

        return new(earliest);
    }
}
