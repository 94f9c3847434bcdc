using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Client;

/// <summary>
/// Queues jobs and acts on them (MRQ's <c>queue_job</c>, <c>queue_jobs</c>, <c>queue_raw_jobs</c>,
/// <c>get_job_result</c>, <c>Job.wait/cancel/requeue</c> and <c>JobAction</c>). Thread-safe; inject it.
/// A returned id means the job is durable to the storage's guarantee.
/// </summary>
public interface IJobClient
{
    /// <summary>
    /// Queues one job. The queue defaults to the task's configured queue, else <c>default</c>. A task with a
    /// <c>unique_params</c> rule returns the job already holding the key, if any.
    /// </summary>
    /// <exception cref="ArgumentException">Empty path, a raw queue name, or an invalid queue name.</exception>
    Task<JobId> QueueJobAsync(string path, JsonObject? parameters = null, string? queue = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues one job with options: a queue, a delayed start (<see cref="QueueJobOptions.RunAt"/> or
    /// <see cref="QueueJobOptions.Delay"/>), a unique key (<see cref="QueueJobOptions.UniqueKey"/>).
    /// </summary>
    /// <returns>The new job's id, or the id of the job already holding the unique key.</returns>
    /// <exception cref="ArgumentException">Empty path, a raw or invalid queue name, both RunAt and Delay, a negative delay, or an empty unique key.</exception>
    Task<JobId> QueueJobAsync(string path, JsonObject? parameters, QueueJobOptions options, CancellationToken cancellationToken = default);

    /// <summary>Queues many jobs of one task, inserted in batches of <paramref name="batchSize"/>.</summary>
    /// <returns>The ids, in the order of <paramref name="parametersList"/>.</returns>
    Task<IReadOnlyList<JobId>> QueueJobsAsync(string path, IEnumerable<JsonObject> parametersList, string? queue = null, int batchSize = 1000, CancellationToken cancellationToken = default);

    /// <summary>Pushes raw members on a raw queue (<c>_raw</c>, <c>_set</c>, <c>_timed_set</c>: scheduled now). Raw jobs have no id until popped.</summary>
    /// <exception cref="ArgumentException">The queue is not a raw queue, or is a <c>_sorted_set</c> (which needs scores).</exception>
    Task QueueRawJobsAsync(string queue, IEnumerable<string> members, int batchSize = 1000, CancellationToken cancellationToken = default);

    /// <summary>Pushes scored raw members (<c>_sorted_set</c>: priority; <c>_timed_set</c>: due Unix time in seconds).</summary>
    Task QueueRawJobsAsync(string queue, IEnumerable<KeyValuePair<string, double>> scoredMembers, int batchSize = 1000, CancellationToken cancellationToken = default);

    /// <summary>The job's <c>{status, result}</c>, or null when no such job exists.</summary>
    Task<JobResult?> GetJobResultAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>The whole stored job, or null.</summary>
    Task<JobRecord?> GetJobAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>Waits until the job is no longer queued or started, and returns its result.</summary>
    /// <exception cref="TimeoutException">The job did not end within <paramref name="timeout"/>.</exception>
    /// <exception cref="KeyNotFoundException">No such job.</exception>
    Task<JobResult> WaitAsync(JobId id, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels one job. A running job's cancellation token is signalled wherever it runs (in this process at once,
    /// elsewhere within about a second): a task that observes it ends <c>cancel</c>; one that ignores it is logged as
    /// still running, and its result is not saved. False when the job could not be cancelled.
    /// </summary>
    Task<bool> CancelAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>Requeues one job (retry_count reset), optionally on another queue. False when it could not be requeued.</summary>
    Task<bool> RequeueAsync(JobId id, string? queue = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels every job matching the filter (MRQ JobAction cancel); running ones are signalled as by <see cref="CancelAsync"/>. Returns how many.</summary>
    Task<long> CancelJobsAsync(JobFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Requeues every job matching the filter (MRQ JobAction requeue; default: not already queued). Returns how many.</summary>
    Task<long> RequeueJobsAsync(JobFilter filter, string? destinationQueue = null, CancellationToken cancellationToken = default);

    /// <summary>Lists jobs matching a filter, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobFilter filter, int skip = 0, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>The lines a job logged.</summary>
    Task<string> GetJobLogsAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>A queue's size: queued + started jobs for a regular queue, members for a raw queue.</summary>
    Task<long> GetQueueSizeAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Job counts by queue and status, plus raw queue sizes of known raw queues.</summary>
    Task<IReadOnlyList<QueueStatusCount>> GetQueueStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Pauses a queue (and its subqueues): workers stop claiming from it.</summary>
    Task PauseQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused queue.</summary>
    Task ResumeQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>True when the queue is paused (directly or through a parent).</summary>
    Task<bool> IsQueuePausedAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Lists raw queue members in pop order.</summary>
    Task<IReadOnlyList<RawQueueItem>> ListRawJobsAsync(string queue, int skip = 0, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Removes raw queue members. Returns how many.</summary>
    Task<long> RemoveRawJobsAsync(string queue, IEnumerable<string> members, CancellationToken cancellationToken = default);
}
