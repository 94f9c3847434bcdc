using Mrq.Jobs;

namespace Mrq.Monitoring;

/// <summary>Sorts job lists by a <see cref="JobSortKey"/>, ties broken by <c>_id</c> in the same direction.</summary>
internal static class JobOrdering
{
    public static IEnumerable<JobRecord> Sort(IEnumerable<JobRecord> jobs, JobSortKey key, bool descending)
    {
        var ordered = key switch
        {
            JobSortKey.DateQueued => By(jobs, j => j.DateQueued, descending),
            JobSortKey.DateUpdated => By(jobs, j => j.DateUpdated ?? DateTime.MinValue, descending),
            JobSortKey.Path => By(jobs, j => j.Path, descending, StringComparer.Ordinal),
            JobSortKey.Queue => By(jobs, j => j.Queue, descending, StringComparer.Ordinal),
            JobSortKey.Status => By(jobs, j => j.Status.ToMrqName(), descending, StringComparer.Ordinal),
            JobSortKey.TotalTime => By(jobs, j => j.TotalTime ?? -1, descending),
            _ => By(jobs, j => j.Id, descending),
        };
        return descending ? ordered.ThenByDescending(j => j.Id) : ordered.ThenBy(j => j.Id);
    }

    private static IOrderedEnumerable<JobRecord> By<TKey>(IEnumerable<JobRecord> jobs, Func<JobRecord, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? jobs.OrderByDescending(key, comparer) : jobs.OrderBy(key, comparer);
}
