using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Context;

/// <summary>
/// The context of a running job (MRQ's <c>mrq.context</c>): the job, its cancellation token (timeout, abort and
/// worker interruption), retry/abort/progress, a job log, sub-pools, sub-tasks, connections and helpers. Passed to
/// <c>MrqTask.RunAsync</c> and reachable anywhere in the job's async flow through <see cref="MrqContext.Current"/>.
/// </summary>
public sealed class JobContext
{
    private readonly JobRuntime _runtime;
    private long _progressBits = BitConverter.DoubleToInt64Bits(double.NaN);

    internal JobContext(JobRecord job, JobRuntime runtime, IWorkerInfo worker, IServiceProvider services, JobLog log, CancellationToken cancellationToken)
    {
        Job = job;
        _runtime = runtime;
        Worker = worker;
        Services = services;
        JobLog = log;
        CancellationToken = cancellationToken;
    }

    /// <summary>The job being executed (MRQ's <c>get_current_job()</c>).</summary>
    public JobRecord Job { get; }

    /// <summary>The job id.</summary>
    public JobId JobId => Job.Id;

    /// <summary>Cancelled at the job's timeout and when the worker is interrupted. Pass it to every awaited call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The worker running the job (MRQ's <c>get_current_worker()</c>).</summary>
    public IWorkerInfo Worker { get; }

    /// <summary>The configuration (MRQ's <c>get_current_config()</c>).</summary>
    public MrqOptions Config => _runtime.Options;

    /// <summary>The job's logger (MRQ's <c>log</c>): lines are stored with the job and readable with <c>mrq jobs show</c>.</summary>
    public ILogger Log => JobLog;

    /// <summary>The execution's service scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Queues other jobs.</summary>
    public IJobClient Client => _runtime.Client;

    /// <summary>Lazily created named connections (MRQ's <c>connections</c>).</summary>
    public MrqConnections Connections => _runtime.Connections;

    /// <summary>The last progress set, 0..1, or null.</summary>
    public double? Progress => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _progressBits)) is var p && !double.IsNaN(p) ? p : null;

    internal JobLog JobLog { get; }

    internal RetryRequest? RetryRequested { get; private set; }

    internal bool AbortRequested { get; private set; }

    /// <summary>
    /// The exception the job's code was handling when it asked for a retry or an abort, kept as the history entry's
    /// <c>original_traceback</c> (MRQ keeps the exception being handled). C# has no "exception being handled", so
    /// this is the last exception thrown in the job's own flow before the call (see <see cref="JobContextAccessor"/>).
    /// </summary>
    internal Exception? InterruptCause { get; private set; }

    /// <summary>The last exception thrown in the job's flow, other than Mrq's own interrupts and cancellations.</summary>
    internal Exception? LastThrown { get; set; }

    internal JobRuntime Runtime => _runtime;

    /// <summary>
    /// Ends the job and marks it for retry (MRQ's <c>retry_current_job</c>): after <paramref name="delay"/> (default
    /// the task's retry_delay; zero requeues at once), on <paramref name="queue"/> (default its queue); past
    /// <paramref name="maxRetries"/> (default the task's max_retries) the job ends <c>maxretries</c>.
    /// </summary>
    /// <exception cref="RetryInterrupt">Always: it ends the task's code.</exception>
    public void RetryCurrentJob(TimeSpan? delay = null, int? maxRetries = null, string? queue = null)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), "The retry delay must not be negative.");
        }

        RetryRequested = new RetryRequest(delay, maxRetries, queue is null ? null : QueueNames.Validate(queue, nameof(queue)));
        InterruptCause = LastThrown;
        throw new RetryInterrupt();
    }

    /// <summary>Ends the job with status <c>abort</c> (MRQ's <c>abort_current_job</c>).</summary>
    /// <exception cref="AbortInterrupt">Always: it ends the task's code.</exception>
    public void AbortCurrentJob()
    {
        AbortRequested = true;
        InterruptCause = LastThrown;
        throw new AbortInterrupt();
    }

    /// <summary>
    /// Sets the job's progress (MRQ's <c>set_current_job_progress</c>). It is saved with the next worker report, or
    /// now when <paramref name="save"/> is true; a successful job ends with progress 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is not within 0..1.</exception>
    public async ValueTask SetProgressAsync(double ratio, bool save = false)
    {
        if (double.IsNaN(ratio) || ratio < 0 || ratio > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "Progress is a ratio between 0 and 1.");
        }

        Interlocked.Exchange(ref _progressBits, BitConverter.DoubleToInt64Bits(ratio));
        if (save && Job.Worker is { } worker)
        {
            await _runtime.Storage.Jobs.SaveProgressAsync([new JobProgress(Job.Id, worker, ratio, Job.DateStarted)], CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="func"/> for each item with at most <paramref name="poolSize"/> running at once (0 runs
    /// them one after the other), each seeing this job as current; returns results in item order (MRQ's
    /// <c>subpool_map</c>). Cancelled with the job.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> SubpoolMapAsync<TItem, TResult>(int poolSize, Func<TItem, ValueTask<TResult>> func, IEnumerable<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(func);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(poolSize);
        var list = items as IReadOnlyList<TItem> ?? items.ToList();
        var results = new TResult[list.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, poolSize), CancellationToken = CancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Count), options, async (index, _) =>
        {
            results[index] = await func(list[index]).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>Runs the task registered at <paramref name="path"/> now, in this job's context, and returns its result (MRQ's <c>run_task</c>; no new job).</summary>
    /// <exception cref="TaskNotFoundException">No task is registered at that path.</exception>
    public async ValueTask<JsonNode?> RunTaskAsync(string path, JsonObject? parameters = null)
    {
        if (!_runtime.Registry.TryGet(path, out var registration))
        {
            throw new TaskNotFoundException(path, _runtime.Registry.Paths);
        }

        var task = registration.Factory(Services);
        return await task.RunAsync(parameters ?? [], this).ConfigureAwait(false);
    }

    /// <summary>Counts an action against a rate limit: returns how many actions remain in the current <paramref name="per"/>-second window, 0 when the limit is reached (MRQ's <c>ratelimit</c>).</summary>
    public ValueTask<long> RateLimitAsync(string key, int limit, int per = 1) =>
        Helpers.RateLimitAsync(_runtime.Storage, _runtime.Time, key, limit, per, CancellationToken);

    /// <summary>Records a metric (MRQ's <c>metric</c>).</summary>
    public void Metric(string name, double increment = 1) => _runtime.Metrics.Record(name, increment);
}
