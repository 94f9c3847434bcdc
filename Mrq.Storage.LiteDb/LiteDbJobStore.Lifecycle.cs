using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>Job lifecycle reads: the next due retry (delayed jobs).</summary>
internal sealed partial class LiteDbJobStore
{
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
