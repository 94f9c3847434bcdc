namespace Mrq.Storage.LiteDb;

/// <summary>The collections of a Mrq LiteDB file: MRQ's names where MRQ has them.</summary>
internal static class LiteDbCollections
{
    public const string Jobs = "mrq_jobs";
    public const string Workers = "mrq_workers";
    public const string Logs = "mrq_logs";
    public const string RawQueues = "mrq_raw_queues";
    public const string KnownSubqueues = "mrq_known_subqueues";
    public const string Paused = "mrq_paused_queues";
    public const string Locks = "mrq_locks";
    public const string RateLimits = "mrq_ratelimits";

    /// <summary>Jobs per (status, queue), kept by every job write in its transaction (see <see cref="JobCounts"/>).</summary>
    public const string JobCounts = "mrq_job_counts";
}
