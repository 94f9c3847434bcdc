using System.Text.Json.Nodes;

namespace Mrq.Jobs;

/// <summary>
/// The end of one execution, written by <c>IJobStore.CompleteAsync</c> as a compare-and-set: it applies only while
/// the job is still <c>started</c> by <see cref="Worker"/> under the same claim (<see cref="DateStarted"/>). A job cancelled or requeued meanwhile keeps its status.
/// </summary>
public sealed record JobOutcome
{
    /// <summary>The job.</summary>
    public required JobId Id { get; init; }

    /// <summary>The worker that claimed it (part of the compare-and-set).</summary>
    public required string Worker { get; init; }

    /// <summary>
    /// The claim's <c>datestarted</c>, as <c>ClaimAsync</c> returned it: with <see cref="Worker"/> it is the claim
    /// token, so an outcome of an earlier claim of the same job by the same worker (a re-sent write) never applies to
    /// a later claim. Null matches any claim by the worker (writers that do not know the claim, such as raw jobs whose
    /// start was not stored).
    /// </summary>
    public DateTime? DateStarted { get; init; }

    /// <summary>The status to write; <see cref="JobStatus.Queued"/> for an immediate retry.</summary>
    public required JobStatus Status { get; init; }

    /// <summary><c>dateupdated</c>.</summary>
    public required DateTime DateUpdated { get; init; }

    /// <summary><c>result</c> (success only; null leaves it absent).</summary>
    public JsonNode? Result { get; init; }

    /// <summary><c>totaltime</c> in seconds.</summary>
    public double? TotalTime { get; init; }

    /// <summary>
    /// <c>time</c>, written with MRQ's <c>trace_greenlets</c> only: seconds the job's code held a thread in its first
    /// synchronous segment (MRQ: CPU seconds in the job's greenlet). Null leaves it absent.
    /// </summary>
    public double? Time { get; init; }

    /// <summary><c>switches</c>, written with <c>trace_greenlets</c> only: 1, plus 1 when the job's code awaited (MRQ: greenlet switches).</summary>
    public int? Switches { get; init; }

    /// <summary><c>dateexpires</c>; null unsets it.</summary>
    public DateTime? DateExpires { get; init; }

    /// <summary><c>dateretry</c> (retry only).</summary>
    public DateTime? DateRetry { get; init; }

    /// <summary><c>datequeued</c> to write (immediate retry re-queues the job).</summary>
    public DateTime? DateQueued { get; init; }

    /// <summary>Move the job to this queue (retry on another queue).</summary>
    public string? Queue { get; init; }

    /// <summary><c>retry_count</c> to write, when it changes.</summary>
    public int? RetryCount { get; init; }

    /// <summary><c>progress</c> to write (1 on success when progress was reported).</summary>
    public double? Progress { get; init; }

    /// <summary><c>exceptiontype</c>.</summary>
    public string? ExceptionType { get; init; }

    /// <summary><c>traceback</c>.</summary>
    public string? Traceback { get; init; }

    /// <summary>Appended to <c>traceback_history</c>.</summary>
    public TracebackEntry? TracebackEntry { get; init; }

    /// <summary>
    /// For a job popped from a raw queue with <c>started</c> among its no-storage statuses: the record to insert
    /// with this outcome applied, because no document exists yet.
    /// </summary>
    public JobRecord? InsertIfMissing { get; init; }
}
